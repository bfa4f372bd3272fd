//===- SNNToSAcc.cpp - Map snn layers onto a sparse accelerator -----------===//
//
// Part of SparseNN. Tiles each linear layer for the buffers of a #sacc.arch,
// chooses the weight format and tile shape with the analytical model of
// runtime/accel, packs the weight tiles and emits a sacc.launch.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/SNNToSAcc/SNNToSAcc.h"
#include "sparsenn/Dialect/SAcc/IR/SAccOps.h"
#include "sparsenn/Dialect/SNN/IR/SNNOps.h"
#include "sparsenn/Dialect/SNN/Utils/Weights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
#define GEN_PASS_DEF_CONVERTSNNTOSACCPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;
namespace accel = sparsenn::accel;

namespace {

uint64_t alignTo(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

/// A linear layer's data, as the planner sees it, and its DRAM regions:
/// 0 the weight image, 1 the input, then the bias when it is an operand,
/// then the output.
struct Layer {
  /// M output rows (features, channels), K reduction columns, B batch rows
  /// (a linear layer's batch; a convolution's output pixels per image).
  uint32_t M = 0, K = 0, B = 0;
  /// A convolution: `images` NCHW images, read through DmaPatches (im2col
  /// addressing) and stored transposed into NCHW.
  std::optional<accel::ConvGeometry> conv;
  uint32_t images = 1;
  std::vector<float> w; // M x K, row-major
  bool hasBias = false;
  /// A constant bias sits at the start of the image (align 64 bytes);
  /// otherwise it is region 2.
  bool biasInImage = false;
  bool relu = false;
  double actDensity = 1;

  uint32_t biasRegion() const { return biasInImage ? 0 : 2; }
  uint32_t outRegion() const { return hasBias && !biasInImage ? 3 : 2; }
  uint64_t tilesAt() const { return biasInImage ? alignTo(M * 4ull, 64) : 0; }
  uint64_t inputBytes() const {
    return conv ? 4ull * images * conv->C * conv->H * conv->W : 4ull * B * K;
  }
  std::vector<uint64_t> regionBytes(uint64_t imageBytes) const {
    std::vector<uint64_t> r = {imageBytes, inputBytes()};
    if (hasBias && !biasInImage)
      r.push_back(4ull * M);
    r.push_back(4ull * images * B * M);
    return r;
  }
  /// The activation tile: rows [b0, b0 + tb), columns [k0, k0 + tk) of image
  /// `n`.
  accel::Command loadActivations(uint32_t n, uint32_t b0, uint32_t tb,
                                 uint32_t k0, uint32_t tk, uint64_t aAt) const {
    if (conv)
      return accel::Command::dmaPatches(
          1, uint64_t(n) * conv->C * conv->H * conv->W * 4, *conv, b0, tb, k0,
          tk, aAt);
    return accel::Command::dmaAct(1, (uint64_t(b0) * K + k0) * 4, K * 4ull, tb,
                                  tk, aAt);
  }
  /// The store of a tb x tm output tile at rows b0, columns m0 of image n.
  accel::Command storeOutputs(uint64_t oAt, uint32_t n, uint32_t b0,
                              uint32_t tb, uint32_t m0, uint32_t tm) const {
    if (conv) // NCHW: a tile of pixels x channels goes in column by column
      return accel::Command::dmaStoreTransposed(
          oAt, outRegion(), ((uint64_t(n) * M + m0) * B + b0) * 4, B * 4ull, tb,
          tm);
    return accel::Command::dmaStore(
        oAt, outRegion(), (uint64_t(b0) * M + m0) * 4, M * 4ull, tb, tm);
  }
};

/// How one layer runs on the accelerator.
struct Plan {
  accel::Format format;
  uint32_t tm = 0, tk = 0, tb = 0;
  bool doubleBuffer = false;
  uint64_t cycles = ~0ull;
  uint64_t dramBytes = 0;
  /// The weight image: room for a constant bias, then the packed tiles in
  /// (m-tile, k-tile) order, each at tileAt[i] = (offset, bytes).
  std::vector<uint8_t> image;
  std::vector<std::pair<uint64_t, uint64_t>> tileAt;
  std::vector<accel::Command> commands;
};

/// Byte layout of the on-chip buffers for a tile shape.
struct Layout {
  uint64_t biasSlot = 0; // bytes of one bias slot (two slots at 0)
  uint64_t wSlot = 0;    // bytes of one weight tile slot
  uint64_t aSlot = 0, oSlot = 0;
  unsigned wSlots = 0, aSlots = 0, oSlots = 0;
};

/// The buffer layout for tiles tm x tk x tb, with double buffering when the
/// largest packed tile (`maxTile` bytes) leaves room for two. False when even
/// one set of tiles does not fit.
bool layoutFor(const accel::Arch &arch, const Layer &l, uint32_t tm,
               uint32_t tk, uint32_t tb, uint64_t maxTile, Layout &out) {
  uint64_t wbuf = uint64_t(arch.weightKiB) << 10;
  uint64_t abuf = uint64_t(arch.actKiB) << 10;
  uint64_t obuf = uint64_t(arch.outKiB) << 10;
  out.biasSlot = l.hasBias ? alignTo(uint64_t(tm) * 4, 64) : 0;
  uint64_t aTile = alignTo(uint64_t(tb) * tk * 4, 64);
  uint64_t oTile = alignTo(uint64_t(tb) * tm * 4, 64);
  if (2 * out.biasSlot >= wbuf)
    return false;
  uint64_t wFree = wbuf - 2 * out.biasSlot;
  out.wSlot = alignTo(maxTile, 64);
  out.wSlots = 2 * out.wSlot <= wFree ? 2 : maxTile <= wFree ? 1 : 0;
  out.aSlots = 2 * aTile <= abuf ? 2 : aTile <= abuf ? 1 : 0;
  out.oSlots = 2 * oTile <= obuf ? 2 : oTile <= obuf ? 1 : 0;
  out.aSlot = aTile;
  out.oSlot = oTile;
  return out.wSlots && out.aSlots && out.oSlots;
}

/// Packs every tile of W for (fmt, tm, tk) into plan.image after the bias.
/// False if the weights do not fit the format (e.g. unstructured zeros in
/// nm<2,4>).
bool packAll(const Layer &l, Plan &plan, std::string &error) {
  plan.image.assign(l.tilesAt(), 0);
  plan.tileAt.clear();
  for (uint32_t m0 = 0; m0 < l.M; m0 += plan.tm)
    for (uint32_t k0 = 0; k0 < l.K; k0 += plan.tk) {
      uint64_t at = plan.image.size();
      uint32_t rows = std::min(plan.tm, l.M - m0);
      uint32_t cols = std::min(plan.tk, l.K - k0);
      if (!accel::packTile(plan.format, l.w.data() + uint64_t(m0) * l.K + k0,
                           l.K, rows, cols, plan.image, error))
        return false;
      plan.tileAt.push_back({at, plan.image.size() - at});
      plan.image.resize(alignTo(plan.image.size(), 4), 0);
    }
  if (plan.image.empty())
    plan.image.push_back(0);
  return true;
}

/// The command list of a plan. Loops: batch tiles, output-row tiles,
/// reduction tiles. Weight tiles, activation tiles, output tiles and bias
/// slices alternate between two buffer slots where the layout has two, so
/// the simulator's dependence tracking overlaps the next DMA with the current
/// compute. With a single reduction tile, the activation tile is loaded once
/// per batch tile and reused by every output-row tile.
void buildCommands(const Layer &l, const Layout &lay, Plan &plan) {
  using accel::Command;
  std::vector<Command> &cmds = plan.commands;
  cmds.clear();
  uint32_t mTiles = (l.M + plan.tm - 1) / plan.tm;
  uint32_t kTiles = (l.K + plan.tk - 1) / plan.tk;
  uint64_t wBase = 2 * lay.biasSlot;
  unsigned n = 0, j = 0, bt = 0;
  for (uint32_t image = 0; image < l.images; ++image)
    for (uint32_t b0 = 0; b0 < l.B; b0 += plan.tb, ++bt) {
      uint32_t tb = std::min(plan.tb, l.B - b0);
      bool reuseAct = kTiles == 1;
      uint64_t aAt = (bt % lay.aSlots) * lay.aSlot;
      if (reuseAct)
        cmds.push_back(l.loadActivations(image, b0, tb, 0, l.K, aAt));
      for (uint32_t mt = 0; mt < mTiles; ++mt, ++j) {
        uint32_t m0 = mt * plan.tm, tm = std::min(plan.tm, l.M - m0);
        uint64_t biasAt = (j % 2) * lay.biasSlot;
        if (l.hasBias)
          cmds.push_back(Command::dmaWeight(l.biasRegion(), uint64_t(m0) * 4,
                                            uint64_t(tm) * 4, biasAt));
        uint64_t oAt = (j % lay.oSlots) * lay.oSlot;
        for (uint32_t kt = 0; kt < kTiles; ++kt, ++n) {
          uint32_t k0 = kt * plan.tk, tk = std::min(plan.tk, l.K - k0);
          auto [at, bytes] = plan.tileAt[mt * kTiles + kt];
          uint64_t wAt = wBase + (n % lay.wSlots) * lay.wSlot;
          cmds.push_back(Command::dmaWeight(0, at, bytes, wAt));
          if (!reuseAct) {
            aAt = (n % lay.aSlots) * lay.aSlot;
            cmds.push_back(l.loadActivations(image, b0, tb, k0, tk, aAt));
          }
          cmds.push_back(Command::compute(plan.format, wAt, bytes, aAt, oAt, tm,
                                          tk, tb, kt > 0));
        }
        cmds.push_back(Command::epilogue(
            oAt, tb, tm, l.hasBias ? biasAt : accel::kNoBias, l.relu));
        cmds.push_back(l.storeOutputs(oAt, image, b0, tb, m0, tm));
      }
    }
  cmds.push_back(Command::barrier());
  plan.dramBytes = 0;
  for (const Command &c : cmds)
    if (c.opcode() == accel::Opcode::DmaWeight)
      plan.dramBytes += c.w[3];
    else if (c.opcode() == accel::Opcode::DmaAct)
      plan.dramBytes += 4 * c.w[4] * c.w[5];
    else if (c.opcode() == accel::Opcode::DmaStore)
      plan.dramBytes += 4 * c.w[5] * c.w[6];
    else if (c.opcode() == accel::Opcode::DmaPatches)
      plan.dramBytes += 4 * (c.w[5] >> 32) * (c.w[6] >> 32);
}

constexpr uint64_t kMaxTiles = 4096;

/// Candidate tile extents for a dimension of size `n`: n itself and powers
/// of two from `step` below it, each a multiple of `multiple`.
SmallVector<uint32_t> extents(uint32_t n, uint32_t step, uint32_t multiple) {
  SmallVector<uint32_t> out;
  if (n % multiple == 0)
    out.push_back(n);
  for (uint32_t e = step; e < n; e *= 2)
    if (e % multiple == 0)
      out.push_back(e);
  return out;
}

/// Chooses the format and tiles with the fewest cycles by the analytical
/// model (accel::estimateLaunch), then the least DRAM traffic. `formats` are
/// the candidates; `whyNot` says why none fits when the result is empty.
std::optional<Plan> plan(const accel::Arch &arch, const Layer &l,
                         ArrayRef<accel::Format> formats, std::string &whyNot) {
  std::optional<Plan> best;
  for (accel::Format fmt : formats) {
    uint32_t rowMultiple = fmt.kind == accel::FormatKind::Block ? fmt.a : 1;
    uint32_t colMultiple = fmt.kind == accel::FormatKind::Block ? fmt.b
                           : fmt.kind == accel::FormatKind::NM  ? fmt.b
                                                                : 1;
    if (l.M % rowMultiple || l.K % colMultiple) {
      whyNot = fmt.str() + " needs the weight's shape to be a multiple of " +
               std::to_string(rowMultiple) + "x" + std::to_string(colMultiple);
      continue;
    }
    for (uint32_t tm : extents(l.M, 8, rowMultiple))
      for (uint32_t tk : extents(l.K, 16, colMultiple)) {
        // At most kMaxTiles tiles per layer (the command list's length).
        if (uint64_t((l.M + tm - 1) / tm) * ((l.K + tk - 1) / tk) > kMaxTiles)
          continue;
        Plan p;
        p.format = fmt;
        p.tm = tm;
        p.tk = tk;
        std::string error;
        if (!packAll(l, p, error)) {
          whyNot = fmt.str() + ": " + error;
          break; // the weights do not fit this format at any tile size
        }
        uint64_t maxTile = 0;
        for (auto [at, bytes] : p.tileAt)
          maxTile = std::max(maxTile, bytes);
        // The largest batch tile that fits, double-buffered if possible.
        Layout lay;
        uint32_t tb = l.B;
        while (tb > 0 && !layoutFor(arch, l, tm, tk, tb, maxTile, lay))
          tb = tb > 1 ? (tb + 1) / 2 : 0;
        if (tb == 0)
          continue;
        p.tb = tb;
        p.doubleBuffer = lay.wSlots == 2;
        buildCommands(l, lay, p);
        accel::Launch launch{arch, l.regionBytes(p.image.size()), p.commands};
        std::vector<void *> regions(launch.regionBytes.size(), nullptr);
        regions[0] = p.image.data();
        if (!accel::estimateLaunch(launch, regions.data(), l.actDensity,
                                   p.cycles, error)) {
          whyNot = fmt.str() + ": " + error;
          continue;
        }
        if (!best || p.cycles < best->cycles ||
            (p.cycles == best->cycles && p.dramBytes < best->dramBytes))
          best = std::move(p);
      }
  }
  if (!best && whyNot.empty())
    whyNot = "no tile of the weight fits the weight buffer";
  return best;
}

/// What the pass did with one op, for the report.
struct ReportRow {
  std::string op, shape, where, format, tiles, reason;
  double sparsity = 0;
  uint64_t cycles = 0, denseBytes = 0, packedBytes = 0;
};

struct ConvertSNNToSAccPass
    : impl::ConvertSNNToSAccPassBase<ConvertSNNToSAccPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string error;
    FailureOr<sacc::ArchAttr> archAttr =
        sacc::parseArchOption(&getContext(), arch, error);
    if (failed(archAttr)) {
      module.emitError() << "convert-snn-to-sacc: " << error;
      return signalPassFailure();
    }
    if (report != "none" && report != "text" && report != "json") {
      module.emitError() << "convert-snn-to-sacc: report must be none, text "
                            "or json, got '"
                         << report << "'";
      return signalPassFailure();
    }
    if (!(actDensity > 0 && actDensity <= 1)) {
      module.emitError()
          << "convert-snn-to-sacc: act-density must be in (0, 1], got "
          << actDensity;
      return signalPassFailure();
    }
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<snn::SNNDialect>(op->getDialect()))
        ops.push_back(op);
    });
    std::vector<ReportRow> rows;
    llvm::DenseSet<Operation *> fused;
    unsigned counter = 0;
    for (Operation *op : ops) {
      if (fused.contains(op))
        continue;
      ReportRow row;
      row.op = op->getName().getStringRef().str();
      row.where = snn::getLocationName(op->getLoc());
      if (auto linear = dyn_cast<snn::LinearOp>(op)) {
        if (failed(convertLayer(op, linear.getInput(), linear.getBias(),
                                *archAttr, counter, row, fused)))
          return signalPassFailure();
      } else if (auto conv = dyn_cast<snn::Conv2DOp>(op)) {
        if (failed(convertLayer(op, conv.getInput(), conv.getBias(), *archAttr,
                                counter, row, fused)))
          return signalPassFailure();
      } else {
        row.reason = "no accelerator lowering for this op";
      }
      rows.push_back(row);
    }
    printReport(rows, archAttr->getValue());
  }

  /// Replaces `op` (and a ReLU that is its only user) with a sacc.launch, or
  /// records in `row` why it stays on the CPU. Fails only on a user error
  /// (a forced format the arch or the weights cannot take).
  /// Replaces a linear or conv2d layer (and a ReLU that is its only user)
  /// with a sacc.launch, or records in `row` why it stays on the CPU. Fails
  /// only on a user error (a forced format the arch or the weights cannot
  /// take).
  LogicalResult convertLayer(Operation *op, Value input, Value biasValue,
                             sacc::ArchAttr archAttr, unsigned &counter,
                             ReportRow &row,
                             llvm::DenseSet<Operation *> &fused) {
    const accel::Arch &arch = archAttr.getValue();
    // A dynamic batch that a tensor.cast from a static type hides (as
    // sparse-runner's --target=accel specializes its entry, and as earlier
    // launches leave): the layer runs at the static shape.
    if (auto cast = input.getDefiningOp<tensor::CastOp>())
      if (auto src = dyn_cast<RankedTensorType>(cast.getSource().getType());
          src && src.hasStaticShape())
        input = cast.getSource();
    auto in = dyn_cast<RankedTensorType>(input.getType());
    auto out = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    // The result at the input's batch (its other dimensions are static).
    if (in && out && out.getRank() >= 1 && in.getRank() >= 1 &&
        out.isDynamicDim(0) && !in.isDynamicDim(0)) {
      SmallVector<int64_t> shape(out.getShape());
      shape[0] = in.getDimSize(0);
      out = RankedTensorType::get(shape, out.getElementType());
    }
    std::optional<snn::LayerWeight> lw = snn::getLayerWeight(op);
    auto conv = dyn_cast<snn::Conv2DOp>(op);
    int64_t rank = conv ? 4 : 2;
    if (lw && in && in.getRank() == rank)
      row.shape = std::to_string(lw->rows) + "x" + std::to_string(lw->cols) +
                  " batch " +
                  (in.isDynamicDim(0) ? std::string("?")
                                      : std::to_string(in.getDimSize(0)));
    if (!in || in.getRank() != rank || !in.hasStaticShape() ||
        !in.getElementType().isF32() || !out || !out.hasStaticShape()) {
      row.reason = conv ? "the accelerator takes a static NCHW f32 input"
                        : "the accelerator takes a static 2-D f32 input";
      return success();
    }
    arith::ConstantOp cst = lw ? lw->getConstant() : arith::ConstantOp();
    if (!cst) {
      row.reason = "the weight is not a constant (weights are packed at "
                   "compile time)";
      return success();
    }
    if (in.getNumElements() == 0 || lw->rows == 0 || lw->cols == 0) {
      row.reason = "an empty layer";
      return success();
    }
    Layer l;
    l.M = lw->rows;
    l.K = lw->cols;
    if (conv) {
      // Output pixels are the batch rows; the windows come through
      // DmaPatches.
      auto [kh, kw] = conv.getKernelSize();
      ArrayRef<int64_t> strides = conv.getStrides(), pad = conv.getPadding(),
                        dil = conv.getDilations();
      accel::ConvGeometry g;
      g.C = in.getDimSize(1), g.H = in.getDimSize(2), g.W = in.getDimSize(3);
      g.KH = kh, g.KW = kw;
      g.strideH = strides[0], g.strideW = strides[1];
      g.padTop = pad[0], g.padLeft = pad[1];
      g.dilationH = dil[0], g.dilationW = dil[1];
      g.OW = out.getDimSize(3);
      if (conv.getNumGroups() != 1) {
        row.reason = "grouped convolutions have no accelerator lowering yet";
        return success();
      }
      if (in.getDimSize(1) > 0xffff || in.getDimSize(2) > 0xffff ||
          in.getDimSize(3) > 0xffff || kh > 0xff || kw > 0xff ||
          strides[0] > 0xff || strides[1] > 0xff || pad[0] > 0xff ||
          pad[1] > 0xff || dil[0] > 0xff || dil[1] > 0xff ||
          out.getDimSize(3) > 0xffff || !g.valid()) {
        row.reason = "the window geometry exceeds the command stream's "
                     "fields (C, H, W, OW < 2^16; kernel, strides, pads, "
                     "dilations < 2^8)";
        return success();
      }
      l.conv = g;
      l.images = in.getDimSize(0);
      l.B = out.getDimSize(2) * out.getDimSize(3);
    } else {
      l.B = in.getDimSize(0);
    }
    constexpr int64_t kMaxDim = 1 << 24;
    if (l.B > kMaxDim || l.M > kMaxDim || l.K > kMaxDim || l.images > kMaxDim) {
      row.reason = "a dimension beyond the command stream's 2^24";
      return success();
    }
    std::vector<double> values;
    std::string error;
    if (failed(snn::readConstantValues(cst.getValue(), int64_t(l.M) * l.K,
                                       values, error))) {
      row.reason = error;
      return success();
    }
    l.w.resize(values.size());
    uint64_t nnz = 0;
    for (uint32_t r = 0; r < l.M; ++r)
      for (uint32_t c = 0; c < l.K; ++c) {
        float v = static_cast<float>(values[lw->storedIndex(r, c)]);
        l.w[uint64_t(r) * l.K + c] = v;
        nnz += v != 0.0f;
      }
    row.sparsity = l.w.empty() ? 0 : 1.0 - double(nnz) / l.w.size();
    row.denseBytes = l.w.size() * 4;
    // A constant bias goes into the weight image; another is an operand.
    std::vector<float> bias;
    if (biasValue) {
      if (auto bc = biasValue.getDefiningOp<arith::ConstantOp>()) {
        std::vector<double> b;
        if (succeeded(snn::readConstantValues(bc.getValue(), l.M, b, error)))
          bias.assign(b.begin(), b.end());
      }
    }
    l.hasBias = static_cast<bool>(biasValue);
    l.biasInImage = !bias.empty();
    // Fuse a ReLU that is the only user.
    snn::ReluOp relu;
    if (op->hasOneUse())
      relu = dyn_cast<snn::ReluOp>(*op->getUsers().begin());
    l.relu = static_cast<bool>(relu);

    // Zero activations: after a ReLU, the assumed density.
    bool afterRelu = input.getDefiningOp<snn::ReluOp>() ||
                     input.getDefiningOp<sacc::LaunchOp>();
    l.actDensity = afterRelu ? actDensity : 1.0;

    SmallVector<accel::Format> formats;
    for (uint32_t i = 0; i < arch.numFormats; ++i)
      formats.push_back(arch.formats[i]);
    if (auto forced = op->getAttrOfType<StringAttr>("sacc.format")) {
      accel::Format f;
      if (!accel::parseFormat(forced.getValue().str(), f))
        return op->emitError() << "sacc.format '" << forced.getValue()
                               << "' is not a weight format (dense, csr, "
                                  "bitmap, nm<n,m>, block<r,c>)";
      if (!arch.supports(f))
        return op->emitError()
               << "sacc.format '" << forced.getValue()
               << "' is not one the accelerator decodes (" << archAttr << ")";
      formats = {f};
    }
    std::string whyNot;
    std::optional<Plan> p = plan(arch, l, formats, whyNot);
    if (!p) {
      if (op->hasAttr("sacc.format"))
        return op->emitError() << "cannot map the layer with the forced "
                                  "format: "
                               << whyNot;
      row.reason = whyNot;
      return success();
    }
    row.format = p->format.str();
    row.tiles = std::to_string(p->tm) + "x" + std::to_string(p->tk) + "x" +
                std::to_string(p->tb) + (p->doubleBuffer ? " double" : "");
    row.cycles = p->cycles;
    row.packedBytes = p->image.size() - l.tilesAt();
    if (relu) {
      fused.insert(relu);
      row.op += " + snn.relu";
    }
    emitLaunch(op, input, biasValue, out, relu, archAttr, l, bias, *p,
               counter++);
    return success();
  }

  /// Builds the sacc.launch of a planned layer.
  void emitLaunch(Operation *op, Value input, Value biasValue,
                  RankedTensorType outType, snn::ReluOp relu,
                  sacc::ArchAttr archAttr, const Layer &l,
                  ArrayRef<float> constBias, Plan &p, unsigned index) {
    OpBuilder b(relu ? relu.getOperation() : op);
    Location loc = op->getLoc();
    if (l.biasInImage)
      memcpy(p.image.data(), constBias.data(), l.M * 4);
    SmallVector<Value> inputs = {input};
    if (l.hasBias && !l.biasInImage)
      inputs.push_back(biasValue);
    auto imageType =
        RankedTensorType::get({int64_t(p.image.size())}, b.getIntegerType(8));
    auto weights = DenseResourceElementsAttr::get(
        imageType, "sacc_image_" + std::to_string(index),
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            ArrayRef<uint8_t>(p.image)));
    auto launch = sacc::LaunchOp::create(b, loc, TypeRange{outType}, inputs,
                                         archAttr, weights);
    launch->setAttr("predicted_cycles", b.getI64IntegerAttr(p.cycles));
    Block *body = new Block();
    launch.getBody().push_back(body);
    OpBuilder cb = OpBuilder::atBlockEnd(body);
    for (const accel::Command &c : p.commands)
      sacc::createCommandOp(cb, loc, c);
    Value result = launch.getResult(0);
    // Back to the layer's (dynamic) result type for its users.
    if (outType != op->getResult(0).getType())
      result =
          tensor::CastOp::create(b, loc, op->getResult(0).getType(), result);
    if (relu) {
      relu.getResult().replaceAllUsesWith(result);
      relu.erase();
    } else {
      op->getResult(0).replaceAllUsesWith(result);
    }
    // The weight (and a constant bias) now live in the image.
    SmallVector<Operation *> constants;
    for (Value v : {op->getOperand(1), biasValue})
      if (Operation *def = v ? v.getDefiningOp() : nullptr)
        if (isa<arith::ConstantOp>(def))
          constants.push_back(def);
    op->erase();
    for (Operation *c : constants)
      if (c->use_empty())
        c->erase();
  }

  void printReport(const std::vector<ReportRow> &rows, const accel::Arch &a) {
    if (report == "none")
      return;
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file;
    if (reportFile != "-") {
      file = openOutputFile(reportFile, &error);
      if (!file) {
        getOperation().emitError() << "convert-snn-to-sacc: " << error;
        return signalPassFailure();
      }
      file->keep();
    }
    llvm::raw_ostream &os = file ? file->os() : llvm::errs();
    if (report == "json") {
      llvm::json::Array layers;
      for (const ReportRow &r : rows) {
        llvm::json::Object o{{"location", r.where},
                             {"op", r.op},
                             {"target", r.format.empty() ? "cpu" : "accel"}};
        if (!r.shape.empty()) {
          o["shape"] = r.shape;
          o["sparsity"] = r.sparsity;
        }
        if (!r.format.empty()) {
          o["format"] = r.format;
          o["tiles"] = r.tiles;
          o["predicted_cycles"] = static_cast<int64_t>(r.cycles);
          o["bytes_dense"] = static_cast<int64_t>(r.denseBytes);
          o["bytes_packed"] = static_cast<int64_t>(r.packedBytes);
        } else {
          o["reason"] = r.reason;
        }
        layers.push_back(std::move(o));
      }
      os << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                       {"target", "accel"},
                                       {"pes", a.numPEs()},
                                       {"area_mm2", a.areaMM2()},
                                       {"layers", std::move(layers)}}))
         << "\n";
      return;
    }
    os << "accelerator: " << a.numPEs() << " PEs x " << a.macsPerPE
       << " MACs, buffers " << a.weightKiB << "/" << a.actKiB << "/" << a.outKiB
       << " KiB\n";
    for (const ReportRow &r : rows) {
      os << "  " << r.where << " " << r.op << " " << r.shape;
      if (!r.format.empty())
        os << llvm::format(" sparsity %.3f", r.sparsity) << " -> accel "
           << r.format << ", tiles " << r.tiles << ", " << r.packedBytes
           << " of " << r.denseBytes << " dense bytes, predicted " << r.cycles
           << " cycles\n";
      else
        os << " -> cpu (" << r.reason << ")\n";
    }
  }
};

} // namespace
