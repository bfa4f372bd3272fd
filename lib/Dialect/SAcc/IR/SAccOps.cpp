//===- SAccOps.cpp - Operations of the sacc dialect -----------------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SAcc/IR/SAccOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::sacc;
namespace accel = sparsenn::accel;

#define GET_OP_CLASSES
#include "sparsenn/Dialect/SAcc/IR/SAccOps.cpp.inc"

static uint64_t tensorBytes(Type t) {
  auto rt = cast<RankedTensorType>(t);
  return 4 * static_cast<uint64_t>(rt.getNumElements());
}

std::vector<uint64_t> LaunchOp::getRegionBytes() {
  std::vector<uint64_t> bytes;
  bytes.push_back(static_cast<uint64_t>(getWeights().getNumElements()));
  for (Type t : getInputs().getTypes())
    bytes.push_back(tensorBytes(t));
  for (Type t : getResultTypes())
    bytes.push_back(tensorBytes(t));
  return bytes;
}

std::optional<ArrayRef<char>> mlir::sacc::getWeightImage(LaunchOp launch) {
  Attribute w = launch.getWeights();
  if (auto dense = dyn_cast<DenseElementsAttr>(w)) {
    if (dense.isSplat() && dense.getNumElements() != 1)
      return std::nullopt;
    return dense.getRawData();
  }
  if (auto res = dyn_cast<DenseResourceElementsAttr>(w))
    if (AsmResourceBlob *blob = res.getRawHandle().getBlob())
      return blob->getData();
  return std::nullopt;
}

std::optional<accel::Command> mlir::sacc::toCommand(Operation *op) {
  using accel::Command;
  return llvm::TypeSwitch<Operation *, std::optional<Command>>(op)
      .Case([](DmaWeightOp o) {
        return Command::dmaWeight(o.getRegion(), o.getOffset(), o.getBytes(),
                                  o.getBufOffset());
      })
      .Case([](DmaActOp o) {
        return Command::dmaAct(o.getRegion(), o.getOffset(), o.getStride(),
                               o.getRows(), o.getCols(), o.getBufOffset());
      })
      .Case([](ComputeOp o) -> std::optional<Command> {
        accel::Format f;
        // An unknown format is encoded as an invalid kind; the verifier
        // reports it.
        if (!accel::parseFormat(o.getFormat().str(), f))
          f = accel::Format{static_cast<accel::FormatKind>(0xff)};
        return Command::compute(f, o.getWOffset(), o.getWBytes(),
                                o.getAOffset(), o.getOOffset(), o.getM(),
                                o.getK(), o.getB(), o.getAccumulate());
      })
      .Case([](EpilogueOp o) {
        return Command::epilogue(o.getOOffset(), o.getB(), o.getM(),
                                 o.getBiasOffset().value_or(accel::kNoBias),
                                 o.getRelu());
      })
      .Case([](DmaStoreOp o) {
        if (o.getTransposed())
          return Command::dmaStoreTransposed(o.getBufOffset(), o.getRegion(),
                                             o.getOffset(), o.getStride(),
                                             o.getRows(), o.getCols());
        return Command::dmaStore(o.getBufOffset(), o.getRegion(), o.getOffset(),
                                 o.getStride(), o.getRows(), o.getCols());
      })
      .Case([](DmaPatchesOp o) {
        // A field beyond its bit width is encoded as 0, which the command's
        // validation rejects.
        auto field = [](uint64_t v, uint64_t max) -> uint32_t {
          return v <= max ? static_cast<uint32_t>(v) : 0;
        };
        accel::ConvGeometry g;
        g.C = field(o.getC(), 0xffff), g.H = field(o.getH(), 0xffff);
        g.W = field(o.getW(), 0xffff), g.KH = field(o.getKh(), 0xff);
        g.KW = field(o.getKw(), 0xff);
        g.strideH = field(o.getStrideH(), 0xff);
        g.strideW = field(o.getStrideW(), 0xff);
        g.padTop = field(o.getPadTop(), 0xff);
        g.padLeft = field(o.getPadLeft(), 0xff);
        g.dilationH = field(o.getDilationH(), 0xff);
        g.dilationW = field(o.getDilationW(), 0xff);
        g.OW = field(o.getOw(), 0xffff);
        // p0, rows, k0, cols beyond 2^24 fail validation as well.
        auto count = [](uint64_t v) -> uint32_t {
          return v < (1u << 25) ? static_cast<uint32_t>(v) : (1u << 25);
        };
        return Command::dmaPatches(o.getRegion(), o.getOffset(), g,
                                   count(o.getP0()), count(o.getRows()),
                                   count(o.getK0()), count(o.getCols()),
                                   o.getBufOffset());
      })
      .Case([](BarrierOp) { return Command::barrier(); })
      .Default([](Operation *) { return std::nullopt; });
}

Operation *mlir::sacc::createCommandOp(OpBuilder &b, Location loc,
                                       const accel::Command &c) {
  const auto &w = c.w;
  switch (c.opcode()) {
  case accel::Opcode::DmaWeight:
    return DmaWeightOp::create(b, loc, w[1], w[2], w[3], w[4]);
  case accel::Opcode::DmaAct:
    return DmaActOp::create(b, loc, w[1], w[2], w[4], w[5], w[3], w[6]);
  case accel::Opcode::Compute:
    return ComputeOp::create(b, loc, c.format().str(), w[5], w[6], w[7], w[1],
                             w[2], w[3], w[4],
                             c.flags() & accel::kFlagAccumulate);
  case accel::Opcode::Epilogue:
    return EpilogueOp::create(
        b, loc, w[1], w[2], w[3],
        w[4] == accel::kNoBias ? IntegerAttr() : b.getI64IntegerAttr(w[4]),
        c.flags() & accel::kFlagRelu);
  case accel::Opcode::DmaStore:
    return DmaStoreOp::create(b, loc, w[1], w[5], w[6], w[2], w[3], w[4],
                              c.flags() == accel::kFlagTransposed);
  case accel::Opcode::DmaPatches: {
    accel::ConvGeometry g = accel::ConvGeometry::fromWords(w[3], w[4]);
    return DmaPatchesOp::create(
        b, loc, w[1], w[2], g.C, g.H, g.W, g.KH, g.KW, g.strideH, g.strideW,
        g.padTop, g.padLeft, g.dilationH, g.dilationW, g.OW, w[5] & 0xffffffff,
        w[5] >> 32, w[6] & 0xffffffff, w[6] >> 32, w[7]);
  }
  case accel::Opcode::Barrier:
    return BarrierOp::create(b, loc);
  }
  return nullptr;
}

accel::Launch mlir::sacc::toLaunch(LaunchOp launch) {
  accel::Launch l;
  l.arch = launch.getArch().getValue();
  l.regionBytes = launch.getRegionBytes();
  for (Operation &op : launch.getBody().front())
    if (auto c = toCommand(&op))
      l.commands.push_back(*c);
  return l;
}

LogicalResult LaunchOp::verifyRegions() {
  for (auto [i, t] : llvm::enumerate(
           llvm::concat<Type>(getInputs().getTypes(), getResultTypes()))) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape() || !rt.getElementType().isF32() ||
        rt.getEncoding())
      return emitOpError() << (i < getInputs().size() ? "operand" : "result")
                           << " #"
                           << (i < getInputs().size() ? i
                                                      : i - getInputs().size())
                           << " must be a static-shaped dense f32 tensor, got "
                           << t;
  }
  auto wt = dyn_cast<ShapedType>(getWeights().getType());
  if (!wt || wt.getRank() != 1 || !wt.getElementType().isInteger(8))
    return emitOpError() << "weights must be a 1-D i8 image, got "
                         << getWeights().getType();
  const accel::Arch &arch = getArch().getValue();
  std::vector<uint64_t> regions = getRegionBytes();
  std::optional<ArrayRef<char>> image = getWeightImage(*this);
  // The weight tile each weight-buffer offset holds, from region 0.
  llvm::DenseMap<uint64_t, std::pair<uint64_t, uint64_t>> tiles;
  for (Operation &op : getBody().front()) {
    std::optional<accel::Command> c = toCommand(&op);
    if (!c)
      return op.emitOpError() << "is not an accelerator command";
    if (std::string e = accel::validateCommand(*c, arch, regions); !e.empty())
      return op.emitOpError() << e;
    if (auto dma = dyn_cast<DmaWeightOp>(op)) {
      if (dma.getRegion() == 0)
        tiles[dma.getBufOffset()] = {dma.getOffset(), dma.getBytes()};
      else
        tiles.erase(dma.getBufOffset());
    }
    auto compute = dyn_cast<ComputeOp>(op);
    if (!compute || !image)
      continue;
    auto it = tiles.find(compute.getWOffset());
    if (it == tiles.end() || it->second.second != compute.getWBytes())
      continue;
    std::string error;
    if (!accel::forEachTileValue(
            c->format(),
            reinterpret_cast<const uint8_t *>(image->data()) + it->second.first,
            it->second.second, compute.getM(), compute.getK(),
            [](uint32_t, uint32_t, float) {}, error))
      return op.emitOpError() << error;
  }
  return success();
}
