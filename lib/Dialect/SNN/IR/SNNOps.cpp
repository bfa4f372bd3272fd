//===- SNNOps.cpp - Operations of the snn dialect -------------------------===//
//
// Part of SparseNN. Verifiers say what is wrong in a user's words: they name
// the operand and both shapes.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/IR/SNNOps.h"

#include "mlir/Dialect/SparseTensor/IR/SparseTensorType.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::snn;
using sparse_tensor::getSparseTensorEncoding;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static bool compatibleDim(int64_t a, int64_t b) {
  return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
}

static bool compatibleShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  if (a.size() != b.size())
    return false;
  for (auto [x, y] : llvm::zip_equal(a, b))
    if (!compatibleDim(x, y))
      return false;
  return true;
}

/// Prints a shape as `[2, ?, 4]`.
static std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return s;
}

static RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Every snn operand and result is a tensor of one float type: f32, or f16
/// (half precision, compiled for the GPU target).
static LogicalResult verifyElementTypes(Operation *op) {
  Type first =
      cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
  if (!first.isF32() && !first.isF16())
    return op->emitOpError()
           << "'result' must have element type f32 or f16, got "
           << op->getResult(0).getType();
  for (OpOperand &operand : op->getOpOperands()) {
    auto t = cast<RankedTensorType>(operand.get().getType());
    if (t.getElementType() != first)
      return op->emitOpError() << "'operand #" << operand.getOperandNumber()
                               << "' must have the result's element type "
                               << first << ", got " << t;
  }
  return success();
}

/// Activations (inputs, biases, results of layers) are dense.
static LogicalResult verifyDense(Operation *op, StringRef name, Type type) {
  if (getSparseTensorEncoding(type))
    return op->emitOpError()
           << "'" << name
           << "' must be dense (only weights carry a sparse encoding), got "
           << type;
  return success();
}

/// An optional bias: dense, [count] (the layer's outputs, named `dim`);
/// `context` ends the message (which weight it belongs to).
static LogicalResult verifyBias(Operation *op, Value bias, int64_t count,
                                StringRef dim, StringRef context) {
  if (!bias)
    return success();
  auto biasType = tensorType(bias);
  if (failed(verifyDense(op, "bias", biasType)))
    return failure();
  if (biasType.getRank() != 1 || !compatibleDim(biasType.getDimSize(0), count))
    return op->emitOpError()
           << "'bias' must be [" << dim << "] = " << shapeStr({count})
           << context << ", got " << shapeStr(biasType.getShape());
  return success();
}

static LogicalResult verifyResultShape(Operation *op,
                                       ArrayRef<int64_t> expected) {
  auto result = tensorType(op->getResult(0));
  if (!compatibleShapes(result.getShape(), expected))
    return op->emitOpError()
           << "result shape " << shapeStr(result.getShape())
           << " does not match the expected shape " << shapeStr(expected)
           << " (result type " << result << ")";
  return success();
}

/// Checks that `pattern` does not contradict the encoding of `weight`.
static LogicalResult verifyPattern(Operation *op, PatternAttr pattern,
                                   Value weight) {
  if (!pattern)
    return success();
  auto enc = getSparseTensorEncoding(weight.getType());
  if (!enc)
    return success();
  for (sparse_tensor::LevelType lt : enc.getLvlTypes()) {
    if (!sparse_tensor::isNOutOfMLT(lt))
      continue;
    if (pattern.getKind() != PatternKind::NM ||
        pattern.getN() != static_cast<int64_t>(lt.getN()) ||
        pattern.getM() != static_cast<int64_t>(lt.getM()))
      return op->emitOpError()
             << "weight_pattern " << pattern
             << " contradicts the weight's encoding, whose level is "
                "structured["
             << lt.getN() << ", " << lt.getM() << "] (weight type "
             << weight.getType() << ")";
  }
  if (pattern.getKind() == PatternKind::Block && enc.getDimToLvl() &&
      sparse_tensor::isBlockSparsity(enc.getDimToLvl())) {
    // The block of each dimension: k of its `d floordiv k` level, 1 when
    // it has none (1xC and Rx1 blocks).
    SmallVector<int64_t> block(enc.getDimRank(), 1);
    for (AffineExpr e : enc.getDimToLvl().getResults())
      if (auto bin = dyn_cast<AffineBinaryOpExpr>(e);
          bin && bin.getKind() == AffineExprKind::FloorDiv)
        if (auto d = dyn_cast<AffineDimExpr>(bin.getLHS()))
          if (auto k = dyn_cast<AffineConstantExpr>(bin.getRHS()))
            block[d.getPosition()] = k.getValue();
    if (block.size() != 2 || block[0] != pattern.getSizes()[0] ||
        block[1] != pattern.getSizes()[1])
      return op->emitOpError()
             << "weight_pattern " << pattern
             << " contradicts the weight's block encoding (weight type "
             << weight.getType() << ")";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  if (failed(verifyElementTypes(*this)))
    return failure();
  auto input = tensorType(getInput());
  auto weight = tensorType(getWeight());
  if (failed(verifyDense(*this, "input", input)) ||
      failed(verifyDense(*this, "result", getType())))
    return failure();
  if (input.getRank() < 1)
    return emitOpError() << "'input' must have rank >= 1 ([..., IN]), got "
                         << input;
  if (weight.getRank() != 2)
    return emitOpError() << "'weight' must be 2-D [OUT, IN], got " << weight;
  int64_t in = input.getShape().back();
  int64_t out = weight.getDimSize(0);
  if (!compatibleDim(in, weight.getDimSize(1)))
    return emitOpError() << "'input' " << shapeStr(input.getShape())
                         << " has IN = " << in << " but 'weight' [OUT, IN] "
                         << shapeStr(weight.getShape())
                         << " has IN = " << weight.getDimSize(1);
  if (failed(verifyBias(*this, getBias(), out, "OUT",
                        " for 'weight' " + shapeStr(weight.getShape()))))
    return failure();
  // The result is [..., OUT], or [B, OUT] with the leading dims flattened.
  auto result = getType();
  SmallVector<int64_t> expected(input.getShape());
  expected.back() = out;
  if (result.getRank() == 2 && input.getRank() > 2) {
    int64_t b = 1;
    for (int64_t d : input.getShape().drop_back())
      b = ShapedType::isDynamic(d) || ShapedType::isDynamic(b)
              ? ShapedType::kDynamic
              : b * d;
    expected = {b, out};
  }
  if (failed(verifyResultShape(*this, expected)))
    return failure();
  return verifyPattern(*this, getWeightPatternAttr(), getWeight());
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  if (failed(verifyElementTypes(*this)) ||
      failed(verifyDense(*this, "result", getType())))
    return failure();
  auto lhs = tensorType(getLhs());
  auto rhs = tensorType(getRhs());
  if (lhs.getRank() != 2 || rhs.getRank() != 2)
    return emitOpError() << "'lhs' [M, K] and 'rhs' [K, N] must be 2-D, got "
                         << shapeStr(lhs.getShape()) << " and "
                         << shapeStr(rhs.getShape());
  if (!compatibleDim(lhs.getDimSize(1), rhs.getDimSize(0)))
    return emitOpError() << "'lhs' " << shapeStr(lhs.getShape())
                         << " has K = " << lhs.getDimSize(1) << " but 'rhs' "
                         << shapeStr(rhs.getShape())
                         << " has K = " << rhs.getDimSize(0);
  bool lhsSparse = getSparseTensorEncoding(lhs) != nullptr;
  bool rhsSparse = getSparseTensorEncoding(rhs) != nullptr;
  if (lhsSparse && rhsSparse)
    return emitOpError() << "at most one of 'lhs' and 'rhs' may be sparse, got "
                         << lhs << " and " << rhs;
  if (failed(verifyResultShape(*this, {lhs.getDimSize(0), rhs.getDimSize(1)})))
    return failure();
  return verifyPattern(*this, getWeightPatternAttr(),
                       rhsSparse ? getRhs() : getLhs());
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

int64_t mlir::snn::getWindowedSize(int64_t in, int64_t kernel, int64_t stride,
                                   int64_t padLo, int64_t padHi,
                                   int64_t dilation, bool ceilMode) {
  if (ShapedType::isDynamic(in))
    return ShapedType::kDynamic;
  int64_t span = in + padLo + padHi - dilation * (kernel - 1) - 1;
  if (span < 0)
    return 0;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= in + padLo)
    --out;
  return out;
}

/// Checks an integer-list attribute's length and bounds.
static LogicalResult verifyList(Operation *op, StringRef name,
                                ArrayRef<int64_t> values, size_t size,
                                int64_t min) {
  if (values.size() != size ||
      llvm::any_of(values, [&](int64_t v) { return v < min; }))
    return op->emitOpError()
           << "'" << name << "' must be " << size << " integers >= " << min
           << ", got " << shapeStr(values);
  return success();
}

/// The dense NCHW input of a convolution or pooling op: static C, H, W.
static LogicalResult verifyNCHWInput(Operation *op, RankedTensorType input) {
  if (failed(verifyDense(op, "input", input)) ||
      failed(verifyDense(op, "result", op->getResult(0).getType())))
    return failure();
  if (input.getRank() != 4 || input.isDynamicDim(1) || input.isDynamicDim(2) ||
      input.isDynamicDim(3))
    return op->emitOpError()
           << "'input' must be [N, C, H, W] with static C, H and W, got "
           << input;
  return success();
}

std::pair<int64_t, int64_t> Conv2DOp::getKernelSize() {
  auto weight = getWeight().getType();
  if (weight.getRank() == 4)
    return {weight.getDimSize(2), weight.getDimSize(3)};
  ArrayRef<int64_t> kernel = *getKernel();
  return {kernel[0], kernel[1]};
}

int64_t Conv2DOp::getReductionSize() {
  auto [kh, kw] = getKernelSize();
  return getInput().getType().getDimSize(1) / getNumGroups() * kh * kw;
}

LogicalResult Conv2DOp::verify() {
  if (failed(verifyElementTypes(*this)))
    return failure();
  auto input = tensorType(getInput());
  auto weight = tensorType(getWeight());
  if (failed(verifyNCHWInput(*this, input)) ||
      failed(verifyList(*this, "strides", getStrides(), 2, 1)) ||
      failed(verifyList(*this, "dilations", getDilations(), 2, 1)) ||
      failed(verifyList(*this, "padding", getPadding(), 4, 0)))
    return failure();
  int64_t groups = getNumGroups();
  int64_t c = input.getDimSize(1);
  if (groups < 1 || c % groups != 0)
    return emitOpError() << "groups = " << groups
                         << " must be >= 1 and divide the " << c
                         << " input channels";
  if (weight.getRank() == 4) {
    if (getSparseTensorEncoding(weight))
      return emitOpError()
             << "a sparse conv weight must be given in the 2-D view "
                "[O, C/groups*KH*KW] with 'kernel' (every 2-D format applies "
                "to that view), got "
             << weight;
    if (weight.getDimSize(1) != c / groups)
      return emitOpError() << "'weight' [O, C/groups, KH, KW] "
                           << shapeStr(weight.getShape())
                           << " needs C/groups = " << c / groups
                           << " for 'input' " << shapeStr(input.getShape())
                           << " and groups = " << groups;
    if (getKernel() && *getKernel() != weight.getShape().drop_front(2))
      return emitOpError() << "'kernel' " << shapeStr(*getKernel())
                           << " contradicts the weight's "
                           << shapeStr(weight.getShape().drop_front(2));
  } else if (weight.getRank() == 2) {
    if (!getKernel())
      return emitOpError() << "a 2-D weight [O, C/groups*KH*KW] needs "
                              "'kernel' = [KH, KW]";
    if (failed(verifyList(*this, "kernel", *getKernel(), 2, 1)))
      return failure();
    int64_t k = getReductionSize();
    int64_t expected = k;
    if (auto enc = getSparseTensorEncoding(weight))
      for (sparse_tensor::LevelType lt : enc.getLvlTypes())
        if (sparse_tensor::isNOutOfMLT(lt))
          expected = llvm::divideCeil(k, lt.getM()) * lt.getM();
    if (weight.getDimSize(1) != expected)
      return emitOpError() << "'weight' " << shapeStr(weight.getShape())
                           << " must be [O, C/groups*KH*KW] = [O, " << expected
                           << "] for 'input' " << shapeStr(input.getShape())
                           << ", groups = " << groups << " and kernel "
                           << shapeStr(*getKernel())
                           << (expected != k ? " (padded to a multiple of m)"
                                             : "");
  } else {
    return emitOpError() << "'weight' must be [O, C/groups, KH, KW] or "
                            "[O, C/groups*KH*KW], got "
                         << weight;
  }
  int64_t o = weight.getDimSize(0);
  if (o % groups != 0)
    return emitOpError() << "groups = " << groups << " must divide the " << o
                         << " output channels";
  if (failed(verifyBias(*this, getBias(), o, "O", "")))
    return failure();
  auto [kh, kw] = getKernelSize();
  ArrayRef<int64_t> s = getStrides(), p = getPadding(), d = getDilations();
  int64_t oh = getWindowedSize(input.getDimSize(2), kh, s[0], p[0], p[2], d[0],
                               /*ceilMode=*/false);
  int64_t ow = getWindowedSize(input.getDimSize(3), kw, s[1], p[1], p[3], d[1],
                               /*ceilMode=*/false);
  if (oh < 1 || ow < 1)
    return emitOpError() << "the dilated kernel [" << kh << ", " << kw
                         << "] does not fit the padded input "
                         << shapeStr(input.getShape());
  if (failed(verifyResultShape(*this, {input.getDimSize(0), o, oh, ow})))
    return failure();
  return verifyPattern(*this, getWeightPatternAttr(), getWeight());
}

/// Shared by max and average pooling.
template <typename PoolOp> static LogicalResult verifyPool(PoolOp op) {
  if (failed(verifyElementTypes(op)))
    return failure();
  auto input = tensorType(op.getInput());
  SmallVector<int64_t> strides = op.getEffectiveStrides();
  if (failed(verifyNCHWInput(op, input)) ||
      failed(verifyList(op, "kernel", op.getKernel(), 2, 1)) ||
      failed(verifyList(op, "strides", strides, 2, 1)) ||
      failed(verifyList(op, "padding", op.getPadding(), 4, 0)))
    return failure();
  ArrayRef<int64_t> k = op.getKernel(), p = op.getPadding();
  for (int i = 0; i < 4; ++i)
    if (p[i] * 2 > k[i % 2])
      return op.emitOpError()
             << "padding " << shapeStr(p) << " must be at most half the kernel "
             << shapeStr(k);
  int64_t oh = snn::getWindowedSize(input.getDimSize(2), k[0], strides[0], p[0],
                                    p[2], 1, op.getCeilMode());
  int64_t ow = snn::getWindowedSize(input.getDimSize(3), k[1], strides[1], p[1],
                                    p[3], 1, op.getCeilMode());
  if (oh < 1 || ow < 1)
    return op.emitOpError()
           << "the kernel " << shapeStr(k) << " does not fit the padded input "
           << shapeStr(input.getShape());
  return verifyResultShape(op,
                           {input.getDimSize(0), input.getDimSize(1), oh, ow});
}

LogicalResult MaxPool2DOp::verify() { return verifyPool(*this); }
LogicalResult AvgPool2DOp::verify() { return verifyPool(*this); }

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

static LogicalResult verifyUnary(Operation *op) {
  if (failed(verifyElementTypes(op)))
    return failure();
  return verifyResultShape(op, tensorType(op->getOperand(0)).getShape());
}

LogicalResult ReluOp::verify() { return verifyUnary(*this); }
LogicalResult SigmoidOp::verify() { return verifyUnary(*this); }
LogicalResult TanhOp::verify() { return verifyUnary(*this); }

LogicalResult AddOp::verify() {
  if (failed(verifyElementTypes(*this)))
    return failure();
  auto lhs = tensorType(getLhs());
  auto rhs = tensorType(getRhs());
  bool ok = rhs.getRank() <= lhs.getRank();
  for (int64_t i = 1; ok && i <= rhs.getRank(); ++i) {
    int64_t r = rhs.getShape()[rhs.getRank() - i];
    int64_t l = lhs.getShape()[lhs.getRank() - i];
    ok = r == 1 || compatibleDim(r, l);
  }
  if (!ok)
    return emitOpError() << "'rhs' " << shapeStr(rhs.getShape())
                         << " does not broadcast to 'lhs' "
                         << shapeStr(lhs.getShape())
                         << " (NumPy rules: trailing dims equal or 1)";
  return verifyResultShape(*this, lhs.getShape());
}

/// Counts a negative dimension index from the end.
static int64_t normalizeDim(int64_t dim, int64_t rank) {
  return dim < 0 ? dim + rank : dim;
}

int64_t SoftmaxOp::getNormalizedAxis() {
  return normalizeDim(getAxisAttr().getInt(), getInput().getType().getRank());
}

LogicalResult SoftmaxOp::verify() {
  if (failed(verifyUnary(*this)))
    return failure();
  int64_t rank = getInput().getType().getRank();
  int64_t axis = getNormalizedAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "axis " << getAxisAttr().getInt()
                         << " is out of range for "
                         << "'input' of rank " << rank;
  return success();
}

int64_t FlattenOp::getNormalizedStartDim() {
  return normalizeDim(getStartDimAttr().getInt(),
                      getInput().getType().getRank());
}

int64_t FlattenOp::getNormalizedEndDim() {
  return normalizeDim(getEndDimAttr().getInt(), getInput().getType().getRank());
}

LogicalResult FlattenOp::verify() {
  if (failed(verifyElementTypes(*this)))
    return failure();
  auto input = tensorType(getInput());
  int64_t rank = input.getRank();
  int64_t start = getNormalizedStartDim();
  int64_t end = getNormalizedEndDim();
  if (start < 0 || start >= rank || end < 0 || end >= rank || start > end)
    return emitOpError() << "start_dim " << getStartDimAttr().getInt()
                         << " and end_dim " << getEndDimAttr().getInt()
                         << " do not name a dimension range of "
                         << "'input' " << shapeStr(input.getShape());
  SmallVector<int64_t> expected(input.getShape().take_front(start));
  int64_t size = 1;
  for (int64_t d : input.getShape().slice(start, end - start + 1))
    size = ShapedType::isDynamic(d) || ShapedType::isDynamic(size)
               ? ShapedType::kDynamic
               : size * d;
  expected.push_back(size);
  llvm::append_range(expected, input.getShape().drop_front(end + 1));
  return verifyResultShape(*this, expected);
}

#define GET_OP_CLASSES
#include "sparsenn/Dialect/SNN/IR/SNNOps.cpp.inc"
