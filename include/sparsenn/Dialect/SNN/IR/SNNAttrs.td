//===- SNNAttrs.td - Attributes of the snn dialect ---------*- tablegen -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_IR_SNNATTRS_TD
#define SPARSENN_DIALECT_SNN_IR_SNNATTRS_TD

include "sparsenn/Dialect/SNN/IR/SNNDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def SNN_PatternKind : I32EnumAttr<"PatternKind", "kind of pruning pattern", [
    I32EnumAttrCase<"Unstructured", 0, "unstructured">,
    I32EnumAttrCase<"NM", 1, "nm">,
    I32EnumAttrCase<"Block", 2, "block">,
    I32EnumAttrCase<"Channel", 3, "channel">
  ]> {
  let cppNamespace = "::mlir::snn";
  let genSpecializedAttr = 0;
}

def SNN_PatternAttr : AttrDef<SNN_Dialect, "Pattern"> {
  let mnemonic = "pattern";
  let summary = "How a layer's weight was pruned";
  let description = [{
    Records the structure of the zeros in a weight. `sparsity` is the
    fraction of zeros, in [0, 1].

    ```mlir
    #snn.pattern<unstructured, sparsity = 0.9>
    #snn.pattern<nm = [2, 4]>                  // N of every M along IN
    #snn.pattern<block = [4, 4], sparsity = 0.9>
    #snn.pattern<channel, sparsity = 0.5>      // whole output channels
    ```

    `nm` keeps at most `n` nonzeros in every group of `m` consecutive
    elements along the reduction dimension (its sparsity is implied:
    `1 - n/m`). `block` zeroes whole `r x c` blocks. A layer's verifier
    rejects a pattern that contradicts the weight's encoding.
  }];
  let parameters = (ins
    "PatternKind":$kind,
    OptionalArrayRefParameter<"int64_t">:$sizes,
    OptionalParameter<"FloatAttr">:$sparsity
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// N and M of an `nm` pattern.
    int64_t getN() const { return getSizes()[0]; }
    int64_t getM() const { return getSizes()[1]; }
    /// The fraction of zeros, when the pattern gives one.
    std::optional<double> getSparsityValue() const {
      if (FloatAttr s = getSparsity())
        return s.getValueAsDouble();
      return std::nullopt;
    }
  }];
}

#endif // SPARSENN_DIALECT_SNN_IR_SNNATTRS_TD
