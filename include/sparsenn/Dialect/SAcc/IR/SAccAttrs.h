//===- SAccAttrs.h - Attributes of the sacc dialect -------------*- C++ -*-===//
//
// Part of SparseNN. `#sacc.arch` holds a runtime/accel Arch, the one
// definition of the accelerator's parameters shared with the simulator.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SACC_IR_SACCATTRS_H
#define SPARSENN_DIALECT_SACC_IR_SACCATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "sparsenn-runtime/Accel.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/bit.h"

namespace sparsenn::accel {
inline llvm::hash_code hash_value(const Arch &a) {
  llvm::hash_code h =
      llvm::hash_combine(a.peRows, a.peCols, a.macsPerPE, a.weightKiB, a.actKiB,
                         a.outKiB, a.dramBytesPerCycle, a.dramLatency,
                         a.freqMHz, a.skipZeroActivations, a.sparsePEs);
  for (uint32_t i = 0; i < a.numFormats && i < kMaxFormats; ++i)
    h = llvm::hash_combine(h, uint8_t(a.formats[i].kind), a.formats[i].a,
                           a.formats[i].b);
  for (double d : {a.macPJ, a.sramReadPJPerByte, a.sramWritePJPerByte,
                   a.dramPJPerByte, a.decodePJ, a.peAreaMM2, a.sparsePEExtraMM2,
                   a.sramAreaMM2PerKiB, a.decompressorAreaMM2})
    h = llvm::hash_combine(h, llvm::bit_cast<uint64_t>(d));
  return h;
}
} // namespace sparsenn::accel

#define GET_ATTRDEF_CLASSES
#include "sparsenn/Dialect/SAcc/IR/SAccAttrs.h.inc"

namespace mlir::sacc {
/// Parses the body of `#sacc.arch<...>` or a bare preset name ("eie"), as
/// the pipeline's `arch=` option takes it. Fails with a message in `error`.
FailureOr<ArchAttr> parseArchOption(MLIRContext *ctx, StringRef text,
                                    std::string &error);
} // namespace mlir::sacc

#endif // SPARSENN_DIALECT_SACC_IR_SACCATTRS_H
