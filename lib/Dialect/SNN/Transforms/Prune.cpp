//===- Prune.cpp - Zero weights of layers by a pruning recipe -------------===//
//
// Part of SparseNN. Works on the 2-D view of each weight (LayerWeight), so
// linear, conv2d and matmul weights share every recipe.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/IR/SNNOps.h"
#include "sparsenn/Dialect/SNN/Transforms/Passes.h"
#include "sparsenn/Dialect/SNN/Utils/Weights.h"

#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/IR/Builders.h"
#include <algorithm>
#include <cmath>
#include <numeric>

namespace mlir::snn {
#define GEN_PASS_DEF_SNNPRUNEPASS
#include "sparsenn/Dialect/SNN/Transforms/Passes.h.inc"
} // namespace mlir::snn

using namespace mlir;
using namespace mlir::snn;

namespace {

/// A weight being pruned: its view and its values (stored order).
struct PruneTarget {
  LayerWeight weight;
  PatternAttr recipe;
  std::vector<double> values;
};

/// Zeroes the `count` entries of `keys` (indices into `values`) with the
/// smallest scores; ties break by position.
void zeroSmallest(std::vector<int64_t> &order, ArrayRef<double> scores,
                  int64_t count, function_ref<void(int64_t)> zero) {
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return scores[a] < scores[b]; });
  for (int64_t i = 0; i < count && i < static_cast<int64_t>(order.size()); ++i)
    zero(order[i]);
}

int64_t roundCount(double fraction, int64_t total) {
  return static_cast<int64_t>(std::llround(fraction * total));
}

void pruneMagnitude(PruneTarget &t, double sparsity) {
  std::vector<double> scores(t.values.size());
  for (size_t i = 0; i < scores.size(); ++i)
    scores[i] = std::fabs(t.values[i]);
  std::vector<int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  zeroSmallest(order, scores, roundCount(sparsity, scores.size()),
               [&](int64_t i) { t.values[i] = 0.0; });
}

void pruneNM(PruneTarget &t, int64_t n, int64_t m) {
  const LayerWeight &w = t.weight;
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t c0 = 0; c0 < w.cols; c0 += m) {
      int64_t len = std::min(m, w.cols - c0);
      std::vector<int64_t> order(len);
      std::vector<double> scores(len);
      for (int64_t j = 0; j < len; ++j) {
        order[j] = j;
        scores[j] = std::fabs(t.values[w.storedIndex(r, c0 + j)]);
      }
      zeroSmallest(order, scores, len - std::min(n, len), [&](int64_t j) {
        t.values[w.storedIndex(r, c0 + j)] = 0.0;
      });
    }
}

void pruneBlocks(PruneTarget &t, int64_t br, int64_t bc, double sparsity) {
  const LayerWeight &w = t.weight;
  int64_t blockRows = llvm::divideCeil(w.rows, br);
  int64_t blockCols = llvm::divideCeil(w.cols, bc);
  auto forEach = [&](int64_t blk, function_ref<void(int64_t)> fn) {
    int64_t r0 = blk / blockCols * br, c0 = blk % blockCols * bc;
    for (int64_t r = r0; r < std::min(r0 + br, w.rows); ++r)
      for (int64_t c = c0; c < std::min(c0 + bc, w.cols); ++c)
        fn(w.storedIndex(r, c));
  };
  int64_t numBlocks = blockRows * blockCols;
  std::vector<double> norms(numBlocks, 0.0);
  for (int64_t blk = 0; blk < numBlocks; ++blk)
    forEach(blk, [&](int64_t i) { norms[blk] += t.values[i] * t.values[i]; });
  std::vector<int64_t> order(numBlocks);
  std::iota(order.begin(), order.end(), 0);
  zeroSmallest(order, norms, roundCount(sparsity, numBlocks), [&](int64_t b) {
    forEach(b, [&](int64_t i) { t.values[i] = 0.0; });
  });
}

void pruneChannels(PruneTarget &t, double sparsity) {
  const LayerWeight &w = t.weight;
  std::vector<double> norms(w.rows, 0.0);
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t c = 0; c < w.cols; ++c) {
      double v = t.values[w.storedIndex(r, c)];
      norms[r] += v * v;
    }
  std::vector<int64_t> order(w.rows);
  std::iota(order.begin(), order.end(), 0);
  zeroSmallest(order, norms, roundCount(sparsity, w.rows), [&](int64_t r) {
    for (int64_t c = 0; c < w.cols; ++c)
      t.values[w.storedIndex(r, c)] = 0.0;
  });
}

struct SNNPrunePass : snn::impl::SNNPrunePassBase<SNNPrunePass> {
  using Base::Base;

  /// The recipe of the pass options as a pattern (null for none).
  FailureOr<PatternAttr> optionRecipe() {
    MLIRContext *ctx = &getContext();
    auto sparsityAttr = FloatAttr::get(Float64Type::get(ctx), sparsity);
    auto fail = [&](const Twine &msg) -> FailureOr<PatternAttr> {
      getOperation().emitError() << "snn-prune: " << msg;
      return failure();
    };
    if (sparsity < 0.0 || sparsity > 1.0)
      return fail("sparsity must be in [0, 1], got " +
                  std::to_string(static_cast<double>(sparsity)));
    if (recipe == "none")
      return PatternAttr();
    if (recipe == "magnitude")
      return PatternAttr::get(ctx, PatternKind::Unstructured, {}, sparsityAttr);
    if (recipe == "channel")
      return PatternAttr::get(ctx, PatternKind::Channel, {}, sparsityAttr);
    if (recipe == "nm") {
      if (n < 1 || n >= m)
        return fail(
            "nm needs 1 <= n < m, got n = " + Twine(static_cast<int64_t>(n)) +
            ", m = " + Twine(static_cast<int64_t>(m)));
      return PatternAttr::get(ctx, PatternKind::NM, {n, m}, FloatAttr());
    }
    if (recipe == "block") {
      SmallVector<int64_t> sizes(block.begin(), block.end());
      if (sizes.empty())
        sizes = {4, 4};
      if (sizes.size() != 2 || sizes[0] < 1 || sizes[1] < 1)
        return fail("block needs two positive sizes, e.g. block=4,4");
      return PatternAttr::get(ctx, PatternKind::Block, sizes, sparsityAttr);
    }
    return fail("unknown recipe '" + recipe +
                "' (expected none, magnitude, nm, block or channel)");
  }

  void runOnOperation() override {
    FailureOr<PatternAttr> defaultRecipe = optionRecipe();
    if (failed(defaultRecipe))
      return signalPassFailure();

    std::vector<PruneTarget> targets;
    bool failedAny = false;
    getOperation().walk([&](Operation *op) {
      std::optional<LayerWeight> w = getLayerWeight(op);
      if (!w)
        return;
      PatternAttr recipeAttr = *defaultRecipe;
      if (auto own = op->getAttrOfType<PatternAttr>("snn.prune"))
        recipeAttr = own;
      else if (op->hasAttr("snn.prune")) {
        op->emitError() << "'snn.prune' must be a #snn.pattern";
        failedAny = true;
        return;
      }
      if (!recipeAttr)
        return;
      arith::ConstantOp cst = w->getConstant();
      if (!cst) {
        op->emitError() << "cannot prune a weight that is not a constant "
                           "(a function argument is pruned by its provider)";
        failedAny = true;
        return;
      }
      PruneTarget t{*w, recipeAttr, {}};
      std::string error;
      if (failed(readConstantValues(
              cst.getValue(), cast<ShapedType>(cst.getType()).getNumElements(),
              t.values, error))) {
        op->emitError() << "cannot prune this weight: " << error;
        failedAny = true;
        return;
      }
      targets.push_back(std::move(t));
    });
    if (failedAny)
      return signalPassFailure();

    // Global magnitude pruning: one threshold over every layer it applies to.
    if (global) {
      std::vector<std::pair<double, std::pair<size_t, size_t>>> all;
      double target = 0.0;
      for (size_t k = 0; k < targets.size(); ++k) {
        if (targets[k].recipe.getKind() != PatternKind::Unstructured)
          continue;
        target = *targets[k].recipe.getSparsityValue();
        for (size_t i = 0; i < targets[k].values.size(); ++i)
          all.push_back({std::fabs(targets[k].values[i]), {k, i}});
      }
      std::stable_sort(all.begin(), all.end(),
                       [](auto &a, auto &b) { return a.first < b.first; });
      int64_t count = roundCount(target, all.size());
      for (int64_t j = 0; j < count; ++j)
        targets[all[j].second.first].values[all[j].second.second] = 0.0;
    }

    for (PruneTarget &t : targets) {
      PatternAttr r = t.recipe;
      switch (r.getKind()) {
      case PatternKind::Unstructured:
        if (!global)
          pruneMagnitude(t, r.getSparsityValue().value_or(sparsity));
        break;
      case PatternKind::NM:
        pruneNM(t, r.getN(), r.getM());
        break;
      case PatternKind::Block:
        pruneBlocks(t, r.getSizes()[0], r.getSizes()[1],
                    r.getSparsityValue().value_or(sparsity));
        break;
      case PatternKind::Channel:
        pruneChannels(t, r.getSparsityValue().value_or(sparsity));
        break;
      }
      rewriteWeight(t);
    }
    // Shrinking rewrites the next layer's weight too: only once every weight
    // is pruned, in program order.
    if (shrinkChannels)
      for (PruneTarget &t : targets) {
        if (t.recipe.getKind() != PatternKind::Channel)
          continue;
        if (auto linear = dyn_cast<LinearOp>(t.weight.layer))
          shrinkLinearChannels(linear);
        else if (auto conv = dyn_cast<Conv2DOp>(t.weight.layer))
          shrinkConvChannels(conv);
      }
  }

  /// The value a removed channel carries after the element-wise activations
  /// and max pooling of `chain` when its pre-activation is the constant `x`
  /// (max pooling of a constant map is that constant).
  static double throughChain(ArrayRef<Operation *> chain, double x) {
    for (Operation *op : chain) {
      if (isa<ReluOp>(op))
        x = std::max(x, 0.0);
      else if (isa<SigmoidOp>(op))
        x = 1.0 / (1.0 + std::exp(-x));
      else if (isa<TanhOp>(op))
        x = std::tanh(x);
    }
    return x;
  }

  /// A layer whose all-zero output channels can go, and the layer that
  /// consumes them (`per` columns of its weight per channel).
  struct ChannelShrink {
    Operation *first, *second;
    OpOperand *weight1, *weight2;
    Value bias1, bias2;
    int64_t per;
    SmallVector<Operation *> chain;
    /// Whether act(bias) of a removed channel may fold into the second
    /// layer's bias (false: only channels with act(bias) = 0 can go).
    bool foldable;
  };

  /// Gives the layer `op` (snn.linear or snn.conv2d) the bias `bias`.
  static void setBias(Operation *op, Value bias) {
    auto set = [&](auto layer) {
      if (layer.getBias())
        layer.getBiasMutable().assign(bias);
      else
        layer.getBiasMutable().append(bias);
    };
    if (auto linear = dyn_cast<LinearOp>(op))
      set(linear);
    else
      set(cast<Conv2DOp>(op));
  }

  /// Removes the all-zero output channels of `s.first`: its weight and bias
  /// lose them, the second weight loses their columns, and what they fed the
  /// second layer (act(bias[c]) times its columns) folds into its bias.
  /// Returns the channels kept, or 0 when nothing changes. Types along the
  /// chain are the caller's.
  int64_t removeChannels(ChannelShrink &s) {
    auto w1c = s.weight1->get().getDefiningOp<arith::ConstantOp>();
    auto w2c = s.weight2->get().getDefiningOp<arith::ConstantOp>();
    auto b1c = s.bias1 ? s.bias1.getDefiningOp<arith::ConstantOp>()
                       : arith::ConstantOp();
    auto b2c = s.bias2 ? s.bias2.getDefiningOp<arith::ConstantOp>()
                       : arith::ConstantOp();
    if (!w1c || !w2c || (s.bias1 && !b1c) || (s.bias2 && !b2c) ||
        sparse_tensor::getSparseTensorEncoding(w1c.getType()) ||
        sparse_tensor::getSparseTensorEncoding(w2c.getType()))
      return 0;
    auto w1Type = cast<RankedTensorType>(w1c.getType());
    auto w2Type = cast<RankedTensorType>(w2c.getType());
    int64_t out = w1Type.getDimSize(0);
    int64_t in = w1Type.getNumElements() / out;
    int64_t out2 = w2Type.getDimSize(0);
    int64_t cols2 = w2Type.getNumElements() / out2;
    int64_t per = s.per;
    if (cols2 != out * per)
      return 0;
    std::vector<double> w1, w2, b1(out, 0.0), b2(out2, 0.0);
    std::string error;
    if (failed(readConstantValues(w1c.getValue(), out * in, w1, error)) ||
        failed(readConstantValues(w2c.getValue(), out2 * cols2, w2, error)) ||
        (b1c && failed(readConstantValues(b1c.getValue(), out, b1, error))) ||
        (b2c && failed(readConstantValues(b2c.getValue(), out2, b2, error))))
      return 0;
    SmallVector<int64_t> kept;
    for (int64_t r = 0; r < out; ++r)
      if (llvm::any_of(ArrayRef<double>(w1).slice(r * in, in),
                       [](double x) { return x != 0.0; }))
        kept.push_back(r);
    if (kept.size() == static_cast<size_t>(out) || kept.empty())
      return 0;

    std::vector<float> newW1, newB1, newW2, newB2(out2);
    for (int64_t r : kept) {
      for (int64_t c = 0; c < in; ++c)
        newW1.push_back(w1[r * in + c]);
      newB1.push_back(b1[r]);
    }
    bool anyConstant = false;
    for (int64_t o = 0; o < out2; ++o) {
      double sum = b2[o];
      for (int64_t c = 0; c < out; ++c) {
        if (llvm::is_contained(kept, c))
          continue;
        double value = throughChain(s.chain, b1[c]);
        if (value == 0.0)
          continue;
        if (!s.foldable)
          return 0;
        double weightSum = 0.0;
        for (int64_t j = 0; j < per; ++j)
          weightSum += w2[o * cols2 + c * per + j];
        anyConstant |= weightSum != 0.0;
        sum += weightSum * value;
      }
      newB2[o] = sum;
      for (int64_t c : kept)
        for (int64_t j = 0; j < per; ++j)
          newW2.push_back(w2[o * cols2 + c * per + j]);
    }

    OpBuilder b(s.first);
    int64_t k = kept.size();
    Type elt = w1Type.getElementType();
    auto mk = [&](ArrayRef<int64_t> shape, ArrayRef<float> data,
                  arith::ConstantOp like, StringRef suffix) {
      return createWeightConstant(
          b, like ? like.getLoc() : s.first->getLoc(),
          RankedTensorType::get(shape, elt), data,
          (like ? getWeightName(like.getValue()) : std::string("snn_bias")) +
              suffix.str());
    };
    // Weights keep their rank: the first loses rows (output channels); the
    // second loses columns, or input channels of a 4-D conv filter.
    SmallVector<int64_t> shape1(w1Type.getShape());
    shape1[0] = k;
    s.weight1->set(mk(shape1, newW1, w1c, "_shrunk"));
    if (b1c)
      s.first->replaceUsesOfWith(b1c, mk({k}, newB1, b1c, "_shrunk"));
    b.setInsertionPoint(s.second);
    SmallVector<int64_t> shape2(w2Type.getShape());
    shape2[1] = shape2.size() == 4 ? k : k * per;
    s.weight2->set(mk(shape2, newW2, w2c, "_shrunk"));
    if (b2c || anyConstant)
      setBias(s.second, mk({out2}, newB2, b2c, "_folded"));
    for (arith::ConstantOp c : {w1c, w2c, b1c, b2c})
      if (c && c->use_empty())
        c->erase();
    s.first->setAttr("snn.pruned_channels", b.getI64IntegerAttr(out - k));
    return k;
  }

  /// Gives dimension `dim` of `value`'s tensor type the size `size`.
  static void resize(Value value, int64_t dim, int64_t size) {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[dim] = size;
    value.setType(RankedTensorType::get(shape, type.getElementType()));
  }

  /// Removes the all-zero output channels (filters) of the ungrouped conv
  /// `first` when its result reaches, through single-use activations and
  /// max pooling, either another ungrouped conv or a flatten feeding a
  /// linear layer: both lose those input channels. A removed channel is the
  /// constant map act(bias[c]); what it fed the next layer is folded into
  /// that layer's bias (for a conv, only when it has no padding, where the
  /// constant map's contribution is the same at every position; otherwise
  /// the channels are removed only when act(bias[c]) is 0).
  void shrinkConvChannels(Conv2DOp first) {
    if (first.getNumGroups() != 1)
      return;
    ChannelShrink s;
    Value v = first.getResult();
    Operation *next = nullptr;
    while (v.hasOneUse()) {
      Operation *user = *v.user_begin();
      if (isa<ReluOp, SigmoidOp, TanhOp, MaxPool2DOp>(user) &&
          user->getOperand(0) == v) {
        s.chain.push_back(user);
        v = user->getResult(0);
        continue;
      }
      next = user;
      break;
    }
    auto conv2 = dyn_cast_or_null<Conv2DOp>(next);
    auto flatten = dyn_cast_or_null<FlattenOp>(next);
    auto mapType = cast<RankedTensorType>(v.getType());
    int64_t channels = mapType.getDimSize(1);
    s.first = first;
    s.weight1 = &first.getWeightMutable();
    s.bias1 = first.getBias();
    if (conv2) {
      if (conv2.getInput() != v || conv2.getNumGroups() != 1)
        return;
      auto [kh, kw] = conv2.getKernelSize();
      s.second = conv2;
      s.weight2 = &conv2.getWeightMutable();
      s.bias2 = conv2.getBias();
      s.per = kh * kw;
      // A padded conv sees the constant map only inside its input.
      s.foldable =
          llvm::none_of(conv2.getPadding(), [](int64_t p) { return p != 0; });
    } else if (flatten) {
      if (mapType.getRank() != 4 || flatten.getNormalizedStartDim() != 1 ||
          flatten.getNormalizedEndDim() != 3 ||
          !flatten.getResult().hasOneUse())
        return;
      auto linear = dyn_cast<LinearOp>(*flatten.getResult().user_begin());
      if (!linear || linear.getInput() != flatten.getResult())
        return;
      s.second = linear;
      s.weight2 = &linear.getWeightMutable();
      s.bias2 = linear.getBias();
      s.per = mapType.getDimSize(2) * mapType.getDimSize(3);
      s.foldable = true;
    } else {
      return;
    }
    if (ShapedType::isDynamic(channels) || ShapedType::isDynamic(s.per))
      return;
    int64_t k = removeChannels(s);
    if (!k)
      return;
    // The chain's maps lose the removed channels (dimension 1, NCHW); the
    // flattened map loses their H*W columns.
    resize(first.getResult(), 1, k);
    for (Operation *op : s.chain)
      resize(op->getResult(0), 1, k);
    if (flatten)
      resize(flatten.getResult(), 1, k * s.per);
  }

  /// Removes the all-zero output rows of `first` when its result feeds one
  /// snn.linear through single-use element-wise activations: the chain gets
  /// the kept channels only, and the next layer's bias absorbs what the
  /// removed channels contributed, W2[:, c] * act(bias1[c]).
  void shrinkLinearChannels(LinearOp first) {
    ChannelShrink s;
    Value v = first.getResult();
    LinearOp second;
    while (v.hasOneUse()) {
      Operation *user = *v.user_begin();
      if (isa<ReluOp, SigmoidOp, TanhOp>(user)) {
        s.chain.push_back(user);
        v = user->getResult(0);
        continue;
      }
      second = dyn_cast<LinearOp>(user);
      if (second && second.getInput() != v)
        second = nullptr;
      break;
    }
    if (!second)
      return;
    s.first = first;
    s.second = second;
    s.weight1 = &first.getWeightMutable();
    s.weight2 = &second.getWeightMutable();
    s.bias1 = first.getBias();
    s.bias2 = second.getBias();
    s.per = 1;
    s.foldable = true;
    int64_t k = removeChannels(s);
    if (!k)
      return;
    int64_t last = cast<RankedTensorType>(first.getType()).getRank() - 1;
    resize(first.getResult(), last, k);
    for (Operation *op : s.chain)
      resize(op->getResult(0), last, k);
  }

  /// Replaces the layer's weight with the pruned values and records the
  /// pattern with the sparsity reached.
  void rewriteWeight(PruneTarget &t) {
    Operation *layer = t.weight.layer;
    arith::ConstantOp cst = t.weight.getConstant();
    OpBuilder b(layer);
    std::vector<float> values(t.values.begin(), t.values.end());
    int64_t zeros = std::count(values.begin(), values.end(), 0.0f);
    auto constant = createWeightConstant(
        b, cst.getLoc(), cast<RankedTensorType>(cst.getType()), values,
        getWeightName(cst.getValue()) + "_pruned");
    t.weight.operand->set(constant);
    if (cst->use_empty())
      cst->erase();
    MLIRContext *ctx = &getContext();
    double reached = values.empty() ? 0.0
                                    : static_cast<double>(zeros) /
                                          static_cast<double>(values.size());
    // Round to 4 decimals so the printed pattern stays readable.
    reached = std::round(reached * 1e4) / 1e4;
    PatternAttr recorded =
        t.recipe.getKind() == PatternKind::NM
            ? t.recipe
            : PatternAttr::get(ctx, t.recipe.getKind(), t.recipe.getSizes(),
                               FloatAttr::get(Float64Type::get(ctx), reached));
    layer->setAttr("weight_pattern", recorded);
    layer->removeAttr("snn.prune");
  }
};
} // namespace
