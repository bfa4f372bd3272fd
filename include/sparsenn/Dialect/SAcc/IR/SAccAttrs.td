//===- SAccAttrs.td - Attributes of the sacc dialect -------*- tablegen -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SACC_IR_SACCATTRS_TD
#define SPARSENN_DIALECT_SACC_IR_SACCATTRS_TD

include "sparsenn/Dialect/SAcc/IR/SAccDialect.td"
include "mlir/IR/AttrTypeBase.td"

def SAcc_ArchAttr : AttrDef<SAcc_Dialect, "Arch"> {
  let mnemonic = "arch";
  let summary = "The parameters of one sparse accelerator";
  let description = [{
    Every parameter is optional and starts from its default (shown), or from
    a named preset given first (`preset = "eie"`; presets: eie, scnn,
    cambricon-x, tc-2:4, dense, dense-decompress; docs/Accelerator.md):

    ```mlir
    #sacc.arch<preset = "eie", weight_kib = 512>
    #sacc.arch<pe_rows = 16, pe_cols = 16, macs_per_pe = 1,
               weight_kib = 128, act_kib = 64, out_kib = 64,
               dram_bytes_per_cycle = 32, dram_latency = 100, freq_mhz = 1000,
               formats = [dense], skip_zero_activations = false,
               sparse_pes = true,
               mac_pj = 3.7, sram_read_pj_per_byte = 1.25,
               sram_write_pj_per_byte = 1.5, dram_pj_per_byte = 160.0,
               decode_pj = 0.5, pe_area_mm2 = 0.01,
               sparse_pe_extra_mm2 = 0.006, sram_area_mm2_per_kib = 0.005,
               decompressor_area_mm2 = 0.05>
    ```

    `formats` lists the weight formats the hardware decodes: `dense`, `csr`,
    `bitmap`, `nm<n, m>` and `block<r, c>`. `sparse_pes = false` puts a
    decompression unit in front of dense PEs instead of index logic in every
    PE. Only parameters that differ from the defaults are printed.
  }];
  let parameters = (ins "::sparsenn::accel::Arch":$value);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

#endif // SPARSENN_DIALECT_SACC_IR_SACCATTRS_TD
