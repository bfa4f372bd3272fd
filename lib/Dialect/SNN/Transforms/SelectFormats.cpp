//===- SelectFormats.cpp - Choose a storage format per weight -------------===//
//
// Part of SparseNN. Measures each constant weight (sparsity, N:M and block
// structure), predicts every applicable format's time with the target's
// calibrated cost model, and re-types the weight with the fastest encoding,
// keeping it dense unless a sparse format wins by the margin.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/IR/SNNOps.h"
#include "sparsenn/Dialect/SNN/Transforms/Passes.h"
#include "sparsenn/Dialect/SNN/Utils/Encodings.h"
#include "sparsenn/Dialect/SNN/Utils/Weights.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::snn {
#define GEN_PASS_DEF_SNNSELECTFORMATSPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;
using namespace mlir::snn;

namespace {

/// time_ms = perUnit * units + perRowBlock * rows * ceil(batch / 16)
/// (csr-tiled: rows * panels * ceil(batch / 16))
/// (+ perDenseUnit * rows * cols * batch: a cost in proportion to the dense
/// product, which the GPU model's library overhead is).
struct FormatCost {
  double perUnit = 0, perRowBlock = 0, perDenseUnit = 0;
};

/// Columns per panel of the csr-tiled format: the power of two nearest (in
/// ratio) to kPanelEntries / density, so a row's segment in a panel holds
/// about kPanelEntries entries, within [kMinPanel, kMaxPanel]. Too narrow,
/// and the per-segment overhead dominates; too wide, and the panel's rows of
/// the activations leave L1/L2 between a row's entries. Hand loop on
/// 4096x4096 at batch 64 (bench/micro/spmm_tiled.cpp), best widths: 95%
/// 512-2048, 90% 256, 80% 128-256, 70% 128, 50% 64-128.
constexpr double kPanelEntries = 32;
constexpr int64_t kMinPanel = 64, kMaxPanel = 1024;
int64_t csrTiledPanel(double density) {
  if (density <= 0)
    return kMaxPanel;
  double ideal = std::log2(kPanelEntries / density);
  int64_t panel = int64_t(1) << std::max<int64_t>(0, std::lround(ideal));
  return std::clamp(panel, kMinPanel, kMaxPanel);
}

/// The CPU cost model. The defaults were measured by bench/calibrate.py on
/// the development machine (bench/results/cpu-cost-model.json).
struct CostModel {
  llvm::StringMap<FormatCost> formats = {
      {"dense", {8.023e-09, 0}},       {"csr", {2.779e-08, 0}},
      {"csc", {3.634e-08, 3.351e-06}}, {"coo", {3.408e-08, 1.872e-06}},
      {"dcsr", {2.781e-08, 2.33e-06}}, {"bsr", {7.839e-09, 5.025e-06}},
      {"nm", {1.467e-08, 2.446e-06}},  {"csr-tiled", {3.396e-09, 6.783e-06}},
  };

  /// A batch of one runs the row-major (sparse dot product) kernels, with
  /// their own constants: time = perUnit * stored + perRowBlock * rows.
  llvm::StringMap<FormatCost> batch1 = {
      {"dense", {3.313e-08, 1.56e-06}}, {"csr", {2.448e-07, 7.512e-06}},
      {"csc", {5.958e-07, 3.773e-06}},  {"coo", {6.955e-07, 8.766e-06}},
      {"dcsr", {3.86e-07, 2.687e-06}},  {"bsr", {4.088e-08, 4.143e-07}},
      {"nm", {4.728e-07, 0}},
  };

  /// The GPU model (sparsenn-gpu-pipeline): dense against cuSPARSE CSR/CSC,
  /// the formats the library path takes. Not calibrated on SparseNN's own GPU
  /// code (no GPU was available to measure it): it starts from PyTorch 2.11's
  /// measurements on an H100 (../shared/TOOLCHAIN.md), cuSPARSE CSR fp32
  /// against dense fp32 at batch 4096 on 4096x4096 weights: 0.77x at 90%,
  /// 1.45x at 95%, 6.3x at 99%. The fit time_csr / time_dense = 12.2 *
  /// density + 0.08 prices a stored entry at 12.2 dense MACs plus 8% of the
  /// dense product; with the 10% margin the crossover is near 93% sparsity
  /// at every shape. The scale assumes a 2.75 ms fp32 dense GEMM of 4096^3.
  static CostModel gpu() {
    CostModel m;
    constexpr double perMac = 2.75 / (4096.0 * 4096.0 * 4096.0);
    m.formats = {{"dense", {perMac, 0, 0}},
                 {"csr", {12.2 * perMac, 0, 0.08 * perMac}},
                 {"csc", {12.2 * perMac, 0, 0.08 * perMac}}};
    m.batch1 = m.formats;
    return m;
  }

  LogicalResult loadSection(const llvm::json::Object &fmts,
                            llvm::StringMap<FormatCost> &into, StringRef path,
                            std::string &error) {
    for (const auto &[key, value] : fmts) {
      const llvm::json::Object *f = value.getAsObject();
      std::optional<double> perUnit =
          f ? f->getNumber("per_unit_ms") : std::nullopt;
      if (!perUnit) {
        error = "cost model '" + path.str() + "': format '" + key.str() +
                "' has no per_unit_ms";
        return failure();
      }
      // Calibration names BSR and N:M by their measured shape.
      StringRef name = key;
      if (name.starts_with("bsr"))
        name = "bsr";
      else if (name.starts_with("nm"))
        name = "nm";
      // A fit may give a slightly negative term; time does not go down.
      into[name] = {
          std::max(0.0, *perUnit),
          std::max(0.0, f->getNumber("per_row_block_ms").value_or(0.0)),
          std::max(0.0, f->getNumber("per_dense_unit_ms").value_or(0.0))};
    }
    return success();
  }

  LogicalResult load(StringRef path, std::string &error) {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer) {
      error = "cannot read cost model '" + path.str() +
              "': " + buffer.getError().message();
      return failure();
    }
    auto json = llvm::json::parse((*buffer)->getBuffer());
    if (!json) {
      error = "cost model '" + path.str() +
              "' is not JSON: " + llvm::toString(json.takeError());
      return failure();
    }
    const llvm::json::Object *obj = json->getAsObject();
    const llvm::json::Object *fmts = obj ? obj->getObject("formats") : nullptr;
    if (!fmts) {
      error = "cost model '" + path.str() + "' has no \"formats\" object";
      return failure();
    }
    // The file is the whole model: a format it does not price is not a
    // candidate (a calibration from before csr-tiled existed proposes none).
    formats.clear();
    if (failed(loadSection(*fmts, formats, path, error)))
      return failure();
    if (const llvm::json::Object *b1 = obj->getObject("formats_batch1")) {
      batch1.clear();
      if (failed(loadSection(*b1, batch1, path, error)))
        return failure();
    }
    if (!formats.count("dense") || !batch1.count("dense")) {
      error = "cost model '" + path.str() + "' prices no dense format";
      return failure();
    }
    return success();
  }
};

/// One candidate storage for a weight.
struct Candidate {
  std::string format;   // dense, csr, csc, coo, dcsr, bsr, nm
  std::string encoding; // #sparse_tensor.encoding text ("" for dense)
  int64_t storedEntries = 0;
  int64_t bytes = 0;
  double predictedMs = 0;
  SmallVector<int64_t, 2> sizes; // block or N:M sizes
  unsigned crdBytes = 0;         // coordinate width (0: dense)
};

/// What the report says of one layer.
struct ReportRow {
  std::string location, op, shape, structure, format;
  double sparsity = 0;
  unsigned indexBits = 0;
  int64_t denseBytes = 0, chosenBytes = 0;
  double denseMs = 0, chosenMs = 0;
  bool user = false;
  /// Every candidate's predicted time (for the JSON report).
  std::vector<std::pair<std::string, double>> predictions;
};

struct SNNSelectFormatsPass
    : snn::impl::SNNSelectFormatsPassBase<SNNSelectFormatsPass> {
  using Base::Base;

  CostModel model;
  std::vector<ReportRow> rows;

  void runOnOperation() override {
    if (target != "cpu" && target != "gpu") {
      getOperation().emitError()
          << "snn-select-formats: no cost model for target '" << target
          << "' (available: cpu, gpu; the accelerator's formats are chosen "
             "by convert-snn-to-sacc)";
      return signalPassFailure();
    }
    if (target == "gpu")
      model = CostModel::gpu();
    if (report != "none" && report != "text" && report != "json") {
      getOperation().emitError() << "snn-select-formats: report must be "
                                    "none, text or json, got '"
                                 << report << "'";
      return signalPassFailure();
    }
    std::string error;
    if (!costModel.empty() && failed(model.load(costModel, error))) {
      getOperation().emitError() << "snn-select-formats: " << error;
      return signalPassFailure();
    }
    bool failedAny = false;
    getOperation().walk([&](Operation *op) {
      if (!isa<LinearOp, Conv2DOp>(op))
        return;
      if (failed(selectFor(op)))
        failedAny = true;
    });
    if (failedAny)
      return signalPassFailure();
    if (report != "none")
      writeReport();
  }

  /// The batch the layer's weight multiplies: rows of the input (linear) or
  /// images times output positions (conv); dynamic dims use batch-size.
  int64_t batchOf(Operation *op) {
    auto dim = [&](int64_t d) {
      return ShapedType::isDynamic(d) ? static_cast<int64_t>(batchSize) : d;
    };
    if (auto linear = dyn_cast<LinearOp>(op)) {
      int64_t b = 1;
      for (int64_t d : linear.getInput().getType().getShape().drop_back())
        b *= dim(d);
      return b;
    }
    auto conv = cast<Conv2DOp>(op);
    auto out = conv.getType();
    return dim(out.getDimSize(0)) * out.getDimSize(2) * out.getDimSize(3);
  }

  LogicalResult selectFor(Operation *op) {
    std::optional<LayerWeight> w = getLayerWeight(op);
    arith::ConstantOp cst = w->getConstant();
    auto weightType = cast<RankedTensorType>(w->operand->get().getType());
    ReportRow row;
    row.location = getLocationName(op->getLoc());
    row.op = op->getName().getStringRef().str();
    row.shape = std::to_string(w->rows) + "x" + std::to_string(w->cols);
    // Bytes of a stored value: 4 (f32) or 2 (f16).
    int64_t valBytes = weightElementBytes(weightType.getElementType());
    if (!valBytes)
      valBytes = 4;
    row.denseBytes = w->rows * w->cols * valBytes;
    int64_t batch = batchOf(op);
    int64_t blocks = llvm::divideCeil(batch, 16);

    // The weight's elements, read in place (no copy of a large weight).
    ConstantValues values;
    std::string error;
    int64_t zeros = 0;
    if (cst) {
      FailureOr<ConstantValues> read = ConstantValues::get(
          cst.getValue(), weightType.getNumElements(), error);
      if (failed(read))
        return op->emitError() << "snn-select-formats: " << error;
      values = std::move(*read);
      zeros = values.countZeros();
      row.sparsity = static_cast<double>(zeros) / values.size();
    }

    // The user's choice wins: an encoding already there, or snn.format.
    auto userFormat = op->getAttrOfType<StringAttr>("snn.format");
    if (sparse_tensor::getSparseTensorEncoding(weightType) || !cst ||
        (userFormat && userFormat.getValue() == "dense")) {
      row.user = true;
      row.format = sparse_tensor::getSparseTensorEncoding(weightType)
                       ? "user encoding"
                   : cst ? "dense"
                         : "argument";
      row.structure = "-";
      rows.push_back(row);
      op->removeAttr("snn.format");
      return success();
    }

    auto at = [&](int64_t r, int64_t c) {
      return values[w->storedIndex(r, c)];
    };
    int64_t nnz = values.size() - zeros;

    // Structure: the sparsest N:M every group satisfies, the largest block
    // size whose nonzero blocks are at least 75% full and whose zero blocks
    // hold 90% of the zeros.
    bool isConv = isa<Conv2DOp>(op);
    std::optional<std::pair<int64_t, int64_t>> nm;
    for (auto [n, m] :
         {std::pair<int64_t, int64_t>{1, 8}, {1, 4}, {2, 8}, {2, 4}, {4, 8}}) {
      // A single group per row gives a size-1 level that the sparsifier's
      // map reinterpretation turns into an invalid (non-invertible) generic.
      if ((!isConv && w->cols % m) || w->cols < 2 * m)
        continue;
      bool ok = true;
      for (int64_t r = 0; ok && r < w->rows; ++r)
        for (int64_t c0 = 0; ok && c0 < w->cols; c0 += m) {
          int64_t count = 0;
          for (int64_t c = c0; c < std::min(c0 + m, w->cols); ++c)
            count += at(r, c) != 0.0;
          ok = count <= n;
        }
      if (ok) {
        nm = {n, m};
        break;
      }
    }
    std::optional<std::pair<int64_t, int64_t>> block;
    int64_t nonzeroBlocks = 0;
    for (auto [br, bc] :
         {std::pair<int64_t, int64_t>{8, 8}, {4, 4}, {2, 2}, {1, 4}, {4, 1}}) {
      if (w->rows % br || w->cols % bc)
        continue;
      int64_t count = 0;
      for (int64_t r0 = 0; r0 < w->rows; r0 += br)
        for (int64_t c0 = 0; c0 < w->cols; c0 += bc) {
          bool any = false;
          for (int64_t r = r0; !any && r < r0 + br; ++r)
            for (int64_t c = c0; !any && c < c0 + bc; ++c)
              any = at(r, c) != 0.0;
          count += any;
        }
      // Block-structured: the nonzero blocks are mostly full, and the zeros
      // mostly lie in whole zero blocks.
      int64_t numBlocks = w->rows / br * (w->cols / bc);
      if (count && nnz >= 0.75 * count * br * bc &&
          (numBlocks - count) * br * bc >= 0.9 * zeros && zeros > 0) {
        block = {br, bc};
        nonzeroBlocks = count;
        break;
      }
    }
    // The structure the report names: blocks first; N:M only when the weight
    // is about as dense as N:M allows (a 95%-sparse weight satisfies 2:4 by
    // chance; it is still a candidate format, not its structure).
    bool nmShaped =
        nm && row.sparsity <= 1.0 - double(nm->first) / nm->second + 0.05;
    if (block)
      row.structure = "block " + std::to_string(block->first) + "x" +
                      std::to_string(block->second);
    else if (nmShaped)
      row.structure =
          "nm " + std::to_string(nm->first) + ":" + std::to_string(nm->second);
    else
      row.structure = "unstructured";

    // Index widths: 32-bit positions when they fit; each format's
    // coordinates in the narrowest of 8, 16, 32 and 64 bits that holds the
    // largest coordinate it stores (a CSR nonzero of a 4096-wide layer takes
    // 6 bytes instead of 8: measured 2-4% faster SpMV and up to 15% faster
    // SpMM on a 4096^2 90% layer, and 25% less memory; N:M, csr-tiled and
    // layers at most 256 wide take 8-bit coordinates).
    bool fits32 = std::max(w->rows, w->cols) < (int64_t(1) << 31) &&
                  nnz < (int64_t(1) << 31);
    unsigned posBytes = fits32 ? 4 : 8;
    // The GPU target's library path (cuSPARSE) takes 32- and 64-bit indices
    // only: narrower coordinates would leave the product on the host.
    bool narrowIndices = target != "gpu";
    auto crdBytesFor = [&](int64_t extent) -> unsigned {
      if (!fits32)
        return 8;
      if (!narrowIndices)
        return 4;
      return extent <= 256 ? 1 : extent <= 65536 ? 2 : 4;
    };
    auto widths = [&](unsigned crdBytes) {
      return fits32
                 ? ", posWidth = 32, crdWidth = " + std::to_string(crdBytes * 8)
                 : std::string();
    };
    // At a batch of one the matrix-vector kernel runs a csr-tiled weight
    // panel by panel, the panel's slice of the activations in L1
    // (snn::kMatVecSliceBytes). A CSR weight whose activation row outgrows
    // that slice is stored so, when a row's part of a panel is long enough
    // for the kernel's vector loop (kMatVecMinSegment entries on average);
    // priced as CSR, which the calibration's in-cache sizes measure.
    // 16384x16384, one thread, ms CSR -> csr-tiled 8192: 90% 7.99 -> 5.99,
    // 99% 0.87 -> 0.73; 99.9% (8 entries a part) 0.17 -> 0.30.
    int64_t matVecPanel = kMatVecSliceBytes / valBytes;
    bool tiledMatVec = batch == 1 && w->cols > matVecPanel &&
                       (1.0 - row.sparsity) * matVecPanel >= kMatVecMinSegment;
    int64_t panel =
        batch == 1 ? matVecPanel : csrTiledPanel(1.0 - row.sparsity);
    int64_t panels = llvm::divideCeil(w->cols, panel);
    double denseUnits = double(w->rows) * w->cols * batch;
    // The batch-one model prices csr-tiled as CSR (above).
    auto priced = [&](StringRef format) {
      return batch == 1 && format == "csr-tiled" ? StringRef("csr") : format;
    };
    auto predict = [&](StringRef format, int64_t stored) {
      if (batch == 1) {
        const FormatCost &c = model.batch1.lookup(priced(format));
        return c.perUnit * stored +
               c.perRowBlock * w->rows *
                   (format == "csr-tiled" ? panels : int64_t(1)) +
               c.perDenseUnit * denseUnits;
      }
      const FormatCost &c = model.formats.lookup(format);
      int64_t units = stored * (format == "dense" ? batch : blocks * 16);
      int64_t rowBlocks =
          w->rows * blocks * (format == "csr-tiled" ? panels : 1);
      return c.perUnit * units + c.perRowBlock * rowBlocks +
             c.perDenseUnit * denseUnits;
    };
    std::vector<Candidate> candidates;
    auto add = [&](std::string format, std::string map, unsigned crdBytes,
                   int64_t stored, int64_t bytes,
                   SmallVector<int64_t, 2> sizes = {}) {
      // Only formats the model prices (dense always is).
      if (!(batch == 1 ? model.batch1 : model.formats).count(priced(format)))
        return;
      Candidate c{format,
                  map.empty() ? "" : "map = " + map + widths(crdBytes),
                  stored,
                  bytes,
                  predict(format, stored),
                  sizes,
                  crdBytes};
      candidates.push_back(c);
    };
    int64_t rowsPtr = (w->rows + 1) * posBytes;
    add("dense", "", 0, w->rows * w->cols, row.denseBytes);
    // Conv weights in their 2-D view; linear weights as they are.
    unsigned csrCrd = crdBytesFor(w->cols), cscCrd = crdBytesFor(w->rows),
             bothCrd = crdBytesFor(std::max(w->rows, w->cols));
    if (!tiledMatVec)
      add("csr", "(d0, d1) -> (d0 : dense, d1 : compressed)", csrCrd, nnz,
          nnz * (valBytes + csrCrd) + rowsPtr);
    add("csc", "(d0, d1) -> (d1 : dense, d0 : compressed)", cscCrd, nnz,
        nnz * (valBytes + cscCrd) + (w->cols + 1) * posBytes);
    add("coo", "(d0, d1) -> (d0 : compressed(nonunique), d1 : singleton(soa))",
        bothCrd, nnz, nnz * (valBytes + 2 * bothCrd) + 2 * posBytes);
    add("dcsr", "(d0, d1) -> (d0 : compressed, d1 : compressed)", bothCrd, nnz,
        nnz * (valBytes + bothCrd) + (w->rows + 1) * bothCrd + rowsPtr);
    // CSR of panels of `panel` columns: snn-sparse-kernels keeps a panel's
    // rows of the activations close while a tile of rows runs over it
    // (docs/CpuKernels.md); at a batch of one, in place of CSR (above).
    if (batch > 1 ? panels > 1 : tiledMatVec) {
      unsigned tiledCrd = crdBytesFor(panel);
      add("csr-tiled",
          "(d0, d1) -> (d1 floordiv " + std::to_string(panel) +
              " : dense, d0 : dense, d1 mod " + std::to_string(panel) +
              " : compressed)",
          tiledCrd, nnz,
          nnz * (valBytes + tiledCrd) + (panels * w->rows + 1) * posBytes);
    }
    // Blocks of at least 2 x 2 only: an R x 1 map crashes MLIR 22's
    // sparsifier (snn-check-legality rejects it), and 1 x C blocks (whole
    // zero rows, as channel pruning leaves) have no register-blocked kernel:
    // measured slower than dense in the digits study, where CSR skips the
    // empty rows for free.
    if (block && (block->first == 1 || block->second == 1))
      block.reset();
    if (block) {
      auto [br, bc] = *block;
      std::string r = std::to_string(br), c = std::to_string(bc);
      std::string map = "(i, j) -> (i floordiv " + r + " : dense, j floordiv " +
                        c + " : compressed, i mod " + r + " : dense, j mod " +
                        c + " : dense)";
      int64_t stored = nonzeroBlocks * br * bc;
      unsigned blockCrd = crdBytesFor(w->cols / bc);
      add("bsr", map, blockCrd, stored,
          stored * valBytes + nonzeroBlocks * blockCrd +
              (w->rows / br + 1) * posBytes,
          {br, bc});
    }
    // A single N:M group per row makes MLIR 22's sparsifier emit a
    // non-invertible indexing map (snn-check-legality rejects it).
    if (nm && w->cols <= nm->second)
      nm.reset();
    if (nm) {
      auto [n, m] = *nm;
      int64_t cols = llvm::divideCeil(w->cols, m) * m;
      std::string map = "(i, j) -> (i : dense, j floordiv " +
                        std::to_string(m) + " : dense, j mod " +
                        std::to_string(m) + " : structured[" +
                        std::to_string(n) + ", " + std::to_string(m) + "])";
      int64_t stored = w->rows * cols / m * n;
      unsigned nmCrd = crdBytesFor(m);
      add("nm", map, nmCrd, stored, stored * (valBytes + nmCrd), {n, m});
    }

    // The user may name the format; otherwise the fastest, with dense kept
    // unless a sparse format wins by the margin.
    const Candidate *dense = &candidates.front();
    const Candidate *best = dense;
    if (userFormat) {
      auto it = llvm::find_if(candidates, [&](const Candidate &c) {
        return c.format == userFormat.getValue();
      });
      if (it == candidates.end())
        return op->emitError()
               << "snn.format = \"" << userFormat.getValue()
               << "\" is not available for this weight (dense, csr, csc, "
                  "coo, dcsr, csr-tiled for a batch above one and more than "
                  "one panel of columns, and bsr / nm when the weight has "
                  "that structure)";
      best = &*it;
      row.user = true;
      op->removeAttr("snn.format");
    } else {
      for (const Candidate &c : candidates)
        if (c.predictedMs < best->predictedMs)
          best = &c;
      if (best != dense &&
          best->predictedMs > dense->predictedMs * (1 - margin))
        best = dense;
    }
    // Report names: "bsr 4x4", "nm 2:4", "csr-tiled 256" (its panel).
    auto label = [&](const Candidate &c) {
      std::string name = c.format;
      if (!c.sizes.empty())
        name += " " + std::to_string(c.sizes[0]) +
                (c.format == "bsr" ? "x" : ":") + std::to_string(c.sizes[1]);
      else if (c.format == "csr-tiled")
        name += " " + std::to_string(panel);
      return name;
    };
    for (const Candidate &c : candidates)
      row.predictions.push_back({label(c), c.predictedMs});
    row.format = label(*best);
    row.denseMs = dense->predictedMs;
    row.chosenMs = best->predictedMs;
    row.chosenBytes = best->bytes;
    row.indexBits = best == dense ? 0 : best->crdBytes * 8;
    rows.push_back(row);
    if (best == dense)
      return success();
    return retype(op, *w, cst, values, *best, nm, row.sparsity);
  }

  /// Replaces the weight with a constant of the chosen encoding (a conv
  /// weight in its 2-D view, padded along K for N:M) and records the pattern.
  LogicalResult retype(Operation *op, const LayerWeight &w,
                       arith::ConstantOp cst, const ConstantValues &values,
                       const Candidate &chosen,
                       std::optional<std::pair<int64_t, int64_t>> nm,
                       double sparsity) {
    MLIRContext *ctx = &getContext();
    Attribute enc = parseAttribute(
        "#sparse_tensor.encoding<{ " + chosen.encoding + " }>", ctx);
    if (!enc)
      return op->emitError() << "snn-select-formats: internal error: bad "
                                "encoding "
                             << chosen.encoding;
    int64_t cols = w.cols;
    if (chosen.format == "nm")
      cols = llvm::divideCeil(w.cols, chosen.sizes[1]) * chosen.sizes[1];
    Type elt = getElementTypeOrSelf(cst.getType());
    auto type = RankedTensorType::get({w.rows, cols}, elt, enc);
    OpBuilder b(op);
    arith::ConstantOp constant;
    auto resource = dyn_cast<DenseResourceElementsAttr>(cst.getValue());
    if (resource && cols == w.cols && !w.transposed &&
        resource.getElementType() == elt &&
        resource.getNumElements() == w.rows * cols) {
      // The same row-major data under the new type: the blob is shared,
      // not copied (a 4096x4096 weight is 64 MiB).
      constant = arith::ConstantOp::create(
          b, cst.getLoc(),
          DenseResourceElementsAttr::get(type, resource.getRawHandle()));
    } else {
      std::vector<float> view(w.rows * cols, 0.0f);
      for (int64_t r = 0; r < w.rows; ++r)
        for (int64_t c = 0; c < w.cols; ++c)
          view[r * cols + c] = values[w.storedIndex(r, c)];
      constant = createWeightConstant(b, cst.getLoc(), type, view,
                                      getWeightName(cst.getValue()));
    }
    if (auto conv = dyn_cast<Conv2DOp>(op)) {
      auto [kh, kw] = conv.getKernelSize();
      conv.setKernelAttr(b.getDenseI64ArrayAttr({kh, kw}));
    }
    w.operand->set(constant);
    if (cst->use_empty())
      cst->erase();
    if (!op->hasAttr("weight_pattern")) {
      auto sparsityAttr = FloatAttr::get(Float64Type::get(ctx),
                                         std::round(sparsity * 1e4) / 1e4);
      PatternAttr pattern =
          chosen.format == "nm" && nm
              ? PatternAttr::get(ctx, PatternKind::NM, {nm->first, nm->second},
                                 FloatAttr())
          : chosen.format == "bsr"
              ? PatternAttr::get(ctx, PatternKind::Block, chosen.sizes,
                                 sparsityAttr)
              : PatternAttr::get(ctx, PatternKind::Unstructured, {},
                                 sparsityAttr);
      op->setAttr("weight_pattern", pattern);
    }
    return success();
  }

  void writeReport() {
    std::string error;
    auto file = openOutputFile(reportFile.getValue(), &error);
    if (!file) {
      getOperation().emitError() << "snn-select-formats: " << error;
      return signalPassFailure();
    }
    llvm::raw_ostream &os = reportFile == "-" ? llvm::errs() : file->os();
    if (report == "json") {
      llvm::json::Array layers;
      for (const ReportRow &r : rows) {
        llvm::json::Object predicted;
        for (const auto &[name, ms] : r.predictions)
          predicted[name] = ms;
        layers.push_back(
            llvm::json::Object{{"location", r.location},
                               {"op", r.op},
                               {"shape", r.shape},
                               {"sparsity", r.sparsity},
                               {"structure", r.structure},
                               {"format", r.format},
                               {"user_choice", r.user},
                               {"index_bits", r.indexBits},
                               {"bytes_dense", r.denseBytes},
                               {"bytes_chosen", r.chosenBytes},
                               {"predicted_ms_dense", r.denseMs},
                               {"predicted_ms_chosen", r.chosenMs},
                               {"predicted_ms", std::move(predicted)}});
      }
      os << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                       {"target", target.getValue()},
                                       {"layers", std::move(layers)}}))
         << "\n";
    } else {
      os << llvm::formatv("{0,-28} {1,-12} {2,-11} {3,8} {4,-13} {5,-14} "
                          "{6,5} {7,12} {8,12} {9,10} {10,10}\n",
                          "layer", "op", "weight", "sparsity", "structure",
                          "format", "index", "bytes dense", "bytes chosen",
                          "ms dense", "ms chosen");
      for (const ReportRow &r : rows)
        os << llvm::formatv(
            "{0,-28} {1,-12} {2,-11} {3,8:F3} {4,-13} {5,-14} {6,5} {7,12} "
            "{8,12} {9,10:F4} {10,10:F4}\n",
            r.location.size() > 28
                ? "..." + r.location.substr(r.location.size() - 25)
                : r.location,
            r.op, r.shape, r.sparsity, r.structure,
            r.format + (r.user ? " (user)" : ""),
            r.indexBits ? std::to_string(r.indexBits) : "-", r.denseBytes,
            r.user ? std::string("-") : std::to_string(r.chosenBytes),
            r.user ? 0.0 : r.denseMs, r.user ? 0.0 : r.chosenMs);
    }
    if (reportFile != "-")
      file->keep();
  }
};
} // namespace
