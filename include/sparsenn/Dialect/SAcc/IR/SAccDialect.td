//===- SAccDialect.td - The sacc dialect definition --------*- tablegen -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SACC_IR_SACCDIALECT_TD
#define SPARSENN_DIALECT_SACC_IR_SACCDIALECT_TD

include "mlir/IR/OpBase.td"

def SAcc_Dialect : Dialect {
  let name = "sacc";
  let summary = "A parameterized family of sparse neural-network accelerators";
  let description = [{
    `sacc` expresses the instructions of a sparse accelerator at tile
    granularity. The accelerator is described by a `#sacc.arch` attribute
    (PE array, buffers, DRAM bandwidth, the weight formats it decodes,
    zero-activation skipping, energy and area tables), so one compiler
    targets designs that differ the way EIE, SCNN, Cambricon-X and sparse
    tensor cores do.

    A `sacc.launch` configures the accelerator with its arch and runs the
    command ops in its body in order: DMA of a packed weight tile, DMA of an
    activation tile, compute (with accumulate), epilogue (bias, ReLU), DMA
    store and barrier. Commands address DRAM by region (0: the launch's
    packed weight image; then its operands; then its results) and the
    on-chip buffers by byte offset. Verifiers check that every access lies
    inside its region and buffer and that every weight tile uses a format the
    arch decodes. The encoding of each op as a command is documented in
    docs/AccelCommands.md; `runtime/accel` executes it.
  }];
  let cppNamespace = "::mlir::sacc";
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

#endif // SPARSENN_DIALECT_SACC_IR_SACCDIALECT_TD
