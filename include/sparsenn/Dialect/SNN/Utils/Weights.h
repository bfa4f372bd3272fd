//===- Weights.h - Find, read and rewrite layer weights ---------*- C++ -*-===//
//
// Part of SparseNN. Shared by the passes that look at weight values
// (snn-prune, snn-select-formats, snn-pack-weights).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_UTILS_WEIGHTS_H
#define SPARSENN_DIALECT_SNN_UTILS_WEIGHTS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Operation.h"
#include <cstring>
#include <string>
#include <vector>

namespace mlir::snn {

/// A unit attribute on a `sparse_tensor.convert` of a dense constant whose
/// consumer needs the dense source (snn-sparse-to-cusparselt: cuSPARSELt
/// compresses the dense matrix itself): snn-pack-weights leaves it.
constexpr llvm::StringLiteral kDenseSourceAttrName = "snn.dense_source";

/// The weight operand of a layer op, and how it is viewed as the 2-D matrix
/// [rows, cols] whose columns run along the reduction dimension (SNN_OPS.md):
/// linear [OUT, IN]; conv2d [O, C/groups*KH*KW] (4-D weights flattened);
/// matmul's constant operand (rhs [K, N] is viewed transposed, [N, K]).
struct LayerWeight {
  Operation *layer = nullptr;
  OpOperand *operand = nullptr;
  int64_t rows = 0, cols = 0;
  /// The view is the transpose of the stored 2-D tensor (matmul rhs).
  bool transposed = false;

  /// The constant producing the weight, if it is one.
  arith::ConstantOp getConstant() const;
  /// Flat index into the stored tensor of view element (r, c).
  int64_t storedIndex(int64_t r, int64_t c) const {
    return transposed ? c * rows + r : r * cols + c;
  }
};

/// The weight of a layer op (linear, conv2d, matmul), or std::nullopt for
/// ops without one. For matmul, the constant operand (rhs first).
std::optional<LayerWeight> getLayerWeight(Operation *op);

/// The value of the IEEE half-precision number with bits `bits`.
double halfToDouble(uint16_t bits);
/// The bits of the IEEE half-precision number nearest `value`.
uint16_t doubleToHalf(double value);

/// The bytes of an element of a weight of element type `elt` (2 for f16, 4
/// for f32, 8 for f64), or 0 for other types.
unsigned weightElementBytes(Type elt);

/// Calls `fn(index, value)` for the elements of a constant (dense,
/// dense_resource or sparse; f16, f32 or f64) in row-major order, without
/// copying them: elements it skips (the zeros of a sparse attribute) are
/// zero. Fails with a message in `error`.
LogicalResult visitConstantValues(Attribute attr, int64_t numElements,
                                  llvm::function_ref<void(int64_t, double)> fn,
                                  std::string &error);

/// Read access to the elements of a constant weight (row-major) without
/// copying them where the attribute holds them contiguously (dense_resource,
/// non-splat dense); splat and sparse attributes are expanded once.
class ConstantValues {
public:
  /// Fails with a message in `error` (unsupported attribute or element type,
  /// a resource blob of the wrong size).
  static FailureOr<ConstantValues> get(Attribute attr, int64_t numElements,
                                       std::string &error);
  double operator[](int64_t i) const {
    if (!data)
      return owned[i];
    if (bytes == 8) {
      double d;
      std::memcpy(&d, data + i * 8, 8);
      return d;
    }
    if (bytes == 2) {
      uint16_t h;
      std::memcpy(&h, data + i * 2, 2);
      return halfToDouble(h);
    }
    float f;
    std::memcpy(&f, data + i * 4, 4);
    return f;
  }
  int64_t size() const { return numElements; }
  /// The number of elements equal to zero.
  int64_t countZeros() const;

private:
  const char *data = nullptr;
  unsigned bytes = 4; ///< Of an element: 2 (f16), 4 (f32) or 8 (f64).
  int64_t numElements = 0;
  std::vector<double> owned;
};

/// Reads the elements of a constant (dense, dense_resource or sparse; f16,
/// f32 or f64) in row-major order. Fails with a message in `error`.
LogicalResult readConstantValues(Attribute attr, int64_t numElements,
                                 std::vector<double> &values,
                                 std::string &error);

/// A new constant of `type` (f32 or f16; encoding kept) holding `values`,
/// as a dense_resource blob named after `name`.
arith::ConstantOp createWeightConstant(OpBuilder &b, Location loc,
                                       RankedTensorType type,
                                       ArrayRef<float> values, StringRef name);

/// The name a weight constant's blobs derive from ("snn_weight" for
/// non-resource constants).
std::string getWeightName(Attribute attr);

/// A short name for a layer in reports: its name location, or file:line:col
/// with the file's base name.
std::string getLocationName(Location loc);

} // namespace mlir::snn

#endif // SPARSENN_DIALECT_SNN_UTILS_WEIGHTS_H
