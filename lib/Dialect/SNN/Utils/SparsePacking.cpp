//===- SparsePacking.cpp - Pack tensors into sparse format buffers --------===//
//
// Part of SparseNN. Builds the level buffers of any sparse_tensor encoding
// from coordinate lists: entries are mapped to level coordinates through the
// dimToLvl map, sorted, and the levels are built top-down, one parent segment
// at a time, as the sparse_tensor storage scheme defines them.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/Utils/SparsePacking.h"

#include "mlir/IR/AffineMap.h"
#include <algorithm>

using namespace mlir;
using namespace mlir::snn;
using namespace mlir::sparse_tensor;

namespace {
/// An entry in level coordinates (the same storage as a CooEntry, which is
/// converted in place).
using LvlEntry = CooEntry;

class Packer {
public:
  Packer(SparseTensorType stt, std::vector<LvlEntry> &entries,
         PackedSparseTensor &packed)
      : stt(stt), entries(entries), packed(packed),
        lvlShape(stt.getLvlShape()) {
    Level lvlRank = stt.getLvlRank();
    posBuf.assign(lvlRank, -1);
    crdBuf.assign(lvlRank, -1);
    for (Level l = 0; l < lvlRank; ++l) {
      if (stt.isWithPos(l)) {
        posBuf[l] = packed.levelBuffers.size();
        packed.levelBuffers.push_back(
            {PackedSparseTensor::LevelBuffer::Kind::Positions,
             static_cast<unsigned>(l),
             stt.getPosWidth(),
             {}});
        if (stt.isCompressedLvl(l))
          packed.levelBuffers.back().data.push_back(0);
      }
      if (stt.isWithCrd(l)) {
        crdBuf[l] = packed.levelBuffers.size();
        packed.levelBuffers.push_back(
            {PackedSparseTensor::LevelBuffer::Kind::Coordinates,
             static_cast<unsigned>(l),
             stt.getCrdWidth(),
             {}});
      }
    }
  }

  LogicalResult run(std::string &error) {
    if (failed(build(0, 0, entries.size(), error)))
      return failure();
    for (auto &buf : packed.levelBuffers) {
      unsigned width = buf.bitWidth ? buf.bitWidth : 64;
      if (width >= 64)
        continue;
      uint64_t limit = (uint64_t(1) << width) - 1;
      for (uint64_t v : buf.data)
        if (v > limit) {
          error =
              std::string(
                  buf.kind == PackedSparseTensor::LevelBuffer::Kind::Positions
                      ? "position "
                      : "coordinate ") +
              std::to_string(v) + " of level " + std::to_string(buf.level) +
              " does not fit in " + std::to_string(width) + " bits (" +
              (buf.kind == PackedSparseTensor::LevelBuffer::Kind::Positions
                   ? "posWidth"
                   : "crdWidth") +
              "); use a wider one";
          return failure();
        }
    }
    return success();
  }

private:
  /// Builds level `l` and below for the entries in [lo, hi), which share
  /// their coordinates at levels < l (one parent segment).
  LogicalResult build(Level l, size_t lo, size_t hi, std::string &error) {
    if (l == stt.getLvlRank()) {
      // A leaf: one value (0 where a dense level has no entry).
      packed.values.push_back(lo < hi ? entries[lo].value : 0.0);
      return success();
    }
    LevelType lt = stt.getLvlType(l);
    uint64_t size = lvlShape[l];
    if (isDenseLT(lt)) {
      size_t i = lo;
      for (uint64_t c = 0; c < size; ++c) {
        size_t j = i;
        while (j < hi && entries[j].coords[l] == c)
          ++j;
        if (failed(build(l + 1, i, j, error)))
          return failure();
        i = j;
      }
      return success();
    }
    if (isCompressedLT(lt) || isLooseCompressedLT(lt)) {
      auto &pos = packed.levelBuffers[posBuf[l]].data;
      auto &crd = packed.levelBuffers[crdBuf[l]].data;
      // Compressed: one end position per parent after the initial 0.
      // Loose compressed: a (start, end) pair per parent.
      if (isLooseCompressedLT(lt))
        pos.push_back(crd.size());
      if (failed(forEachChild(l, lo, hi, crd, error)))
        return failure();
      pos.push_back(crd.size());
      return success();
    }
    if (isSingletonLT(lt)) {
      auto &crd = packed.levelBuffers[crdBuf[l]].data;
      if (hi - lo != 1) {
        error = "singleton level " + std::to_string(l) +
                " needs exactly one entry per parent, got " +
                std::to_string(hi - lo);
        return failure();
      }
      crd.push_back(entries[lo].coords[l]);
      return build(l + 1, lo, hi, error);
    }
    if (isNOutOfMLT(lt)) {
      uint64_t n = lt.getN(), m = lt.getM();
      auto &crd = packed.levelBuffers[crdBuf[l]].data;
      if (hi - lo > n) {
        error = "weight is not " + std::to_string(n) + ":" + std::to_string(m) +
                " structured: a group of " + std::to_string(m) +
                " (at level coordinates " + coordsStr(entries[lo].coords, l) +
                ") has " + std::to_string(hi - lo) + " nonzeros";
        return failure();
      }
      // Exactly n slots per group: the nonzeros, padded with explicit zeros
      // at the lowest unused coordinates, in coordinate order.
      SmallVector<uint64_t, 8> slots;
      for (size_t i = lo; i < hi; ++i)
        slots.push_back(entries[i].coords[l]);
      for (uint64_t c = 0; c < m && slots.size() < n; ++c)
        if (!llvm::is_contained(slots, c))
          slots.push_back(c);
      llvm::sort(slots);
      size_t i = lo;
      for (uint64_t c : slots) {
        crd.push_back(c);
        bool present = i < hi && entries[i].coords[l] == c;
        if (failed(build(l + 1, i, present ? i + 1 : i, error)))
          return failure();
        if (present)
          ++i;
      }
      return success();
    }
    error = "level " + std::to_string(l) + " has a level type (" +
            lt.toMLIRString() + ") that cannot be packed";
    return failure();
  }

  /// The children of a compressed level: one per distinct coordinate, or one
  /// per entry when the level is not unique (the head of a COO region).
  LogicalResult forEachChild(Level l, size_t lo, size_t hi,
                             std::vector<uint64_t> &crd, std::string &error) {
    bool unique = stt.isUniqueLvl(l);
    size_t i = lo;
    while (i < hi) {
      size_t j = i + 1;
      if (unique)
        while (j < hi && entries[j].coords[l] == entries[i].coords[l])
          ++j;
      crd.push_back(entries[i].coords[l]);
      if (failed(build(l + 1, i, j, error)))
        return failure();
      i = j;
    }
    return success();
  }

  static std::string coordsStr(ArrayRef<uint64_t> coords, Level upTo) {
    std::string s = "(";
    for (Level k = 0; k < upTo; ++k)
      s += std::to_string(coords[k]) + ", ";
    return s + "*)";
  }

  SparseTensorType stt;
  std::vector<LvlEntry> &entries;
  PackedSparseTensor &packed;
  SmallVector<int64_t> lvlShape;
  SmallVector<int64_t> posBuf, crdBuf;
};
} // namespace

LogicalResult mlir::snn::packSparseTensor(SparseTensorType stt,
                                          std::vector<CooEntry> dimEntries,
                                          PackedSparseTensor &packed,
                                          std::string &error) {
  packed = PackedSparseTensor();
  if (!stt.hasStaticDimShape()) {
    error = "cannot pack a tensor of dynamic shape";
    return failure();
  }
  if (stt.getAoSCOOStart() < stt.getLvlRank()) {
    error = "array-of-structs COO cannot be packed; use singleton(soa)";
    return failure();
  }
  ArrayRef<int64_t> dimShape = stt.getDimShape();
  AffineMap dimToLvl = stt.getExpandedDimToLvl();
  // Dimension coordinates become level coordinates in place (one copy of
  // the entries at a time: this is the compile's memory peak for a large
  // weight).
  std::vector<LvlEntry> &entries = dimEntries;
  SmallVector<int64_t, 4> dimCoords;
  for (CooEntry &e : dimEntries) {
    dimCoords.clear();
    for (auto [d, c] : llvm::enumerate(e.coords)) {
      if (c >= static_cast<uint64_t>(dimShape[d])) {
        error = "coordinate " + std::to_string(c) + " of dimension " +
                std::to_string(d) + " is out of range [0, " +
                std::to_string(dimShape[d]) + ")";
        return failure();
      }
      dimCoords.push_back(c);
    }
    SmallVector<int64_t, 4> lvl = dimToLvl.compose(dimCoords);
    e.coords.assign(lvl.begin(), lvl.end());
  }
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const LvlEntry &a, const LvlEntry &b) { return a.coords < b.coords; });
  // Sum duplicates (Matrix Market files may repeat a coordinate).
  size_t out = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (out > 0 && entries[out - 1].coords == entries[i].coords)
      entries[out - 1].value += entries[i].value;
    else
      entries[out++] = std::move(entries[i]);
  }
  entries.resize(out);
  Packer packer(stt, entries, packed);
  return packer.run(error);
}
