// Every bad input gets a one-line error and exit code 1 (`not` fails on a
// crash), never a crash or a wrong answer.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not sparse-runner %s --entry=nope --input=2x4xf32=1,2,3,4,5,6,7,8 2>&1 | FileCheck %s --check-prefix=ENTRY
// ENTRY: sparse-runner: error: no public function named 'nope' in '{{.*}}' (it has: main, nv)
// RUN: not sparse-runner %s 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: error: 'main' takes 2 argument(s) (tensor<?x4xf32>, tensor<3x4xf32, #sparse{{.*}}>) but 0 --input given
// RUN: not sparse-runner %s --input=2x5xf32=1,2,3,4,5,6,7,8,9,10 --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: input #0 (2x5xf32=1,2,3,4,5,6,7,8,9,10) is 2x5xf32 but argument #0 is tensor<?x4xf32>
// RUN: not sparse-runner %s --input=2x4xf64=1,2,3,4,5,6,7,8 --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: input #0 (2x4xf64=1,2,3,4,5,6,7,8) is 2x4xf64 but argument #0 is tensor<?x4xf32>
// RUN: not sparse-runner %s --input=2x4xf32=1,2,3 --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=LITCOUNT
// LITCOUNT: error: input #0 '2x4xf32=1,2,3': the shape holds 8 values but 3 are given
// RUN: not sparse-runner %s --input=2x4xf32=1,2,x,4,5,6,7,8 --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=LITNUM
// LITNUM: error: input #0 '2x4xf32=1,2,x,4,5,6,7,8': 'x' is not a number
// RUN: not sparse-runner %s --input=2x4xf16=1 --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=LITTYPE
// LITTYPE: error: input #0 '2x4xf16=1': unknown element type 'f16'
// RUN: not sparse-runner %s --input=@%t/missing.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: input #0: cannot open '{{.*}}missing.npy': No such file or directory
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((2, 4), np.float32))"
// RUN: head -c 140 %t/x.npy > %t/trunc.npy
// RUN: not sparse-runner %s --input=@%t/trunc.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: error: input #0: '{{.*}}trunc.npy': the header promises 8 elements (32 bytes) but the file holds 12 bytes of data
// RUN: %python -c "import numpy as np; np.save('%t/big.npy', np.ones((2, 4), '>f4'))"
// RUN: not sparse-runner %s --input=@%t/big.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=ENDIAN
// ENDIAN: error: input #0: '{{.*}}big.npy': unsupported .npy dtype '>f4'
// RUN: not sparse-runner %s --input=@%t/x.npy --input=@%S/Inputs/range.mtx 2>&1 | FileCheck %s --check-prefix=MTXRANGE
// MTXRANGE: error: input #1: '{{.*}}range.mtx': line 3: index (4, 1) is outside the 1-based 3 x 4 matrix
// RUN: not sparse-runner %s --input=@%t/x.npy --input=@%S/Inputs/count.mtx 2>&1 | FileCheck %s --check-prefix=MTXCOUNT
// MTXCOUNT: error: input #1: '{{.*}}count.mtx': the size line promises 2 entries but the file has 1
// RUN: not sparse-runner %s --input=@%t/x.npy --input=@%S/Inputs/shape.mtx 2>&1 | FileCheck %s --check-prefix=MTXSHAPE
// MTXSHAPE: error: input #1 (@{{.*}}shape.mtx) is a 4x4 matrix but argument #1 is tensor<3x4xf32, #sparse
// RUN: not sparse-runner %s --input=@%t/x.npy --input=@%S/Inputs/banner.mtx 2>&1 | FileCheck %s --check-prefix=MTXBANNER
// MTXBANNER: error: input #1: '{{.*}}banner.mtx': line 1: expected '%%MatrixMarket matrix coordinate <field> <symmetry>'
// RUN: not sparse-runner %s --entry=nv --input=2x4xf32=1,2,3,4,5,6,7,8 --input=3x4xf32=1,1,1,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=NM
// NM: error: input #1 (3x4xf32=1,1,1,0,0,0,0,0,0,0,0,0) does not fit tensor<3x4xf32, #sparse{{.*}}>: weight is not 2:4 structured: a group of 4 (at level coordinates (0, 0, *)) has 3 nonzeros
// RUN: not sparse-runner %s --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 --output=@%t/a.npy --output=@%t/b.npy 2>&1 | FileCheck %s --check-prefix=OUTS
// OUTS: error: 'main' returns 1 result(s) but 2 --output given
// RUN: not sparse-runner %t/missing.mlir 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: error: cannot read '{{.*}}missing.mlir'
// RUN: printf 'func.func @main( {' > %t/bad.mlir
// RUN: not sparse-runner %t/bad.mlir 2>&1 | FileCheck %s --check-prefix=PARSE
// PARSE: error: cannot parse '{{.*}}bad.mlir'
// RUN: not sparse-runner %s --num-threads=0 --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: sparse-runner: error: --num-threads must be at least 1
// RUN: not sparse-runner %s --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 --benchmark=-1 2>&1 | FileCheck %s --check-prefix=OPT
// OPT: sparse-runner: for the --benchmark option: '-1' value invalid for uint argument!
// A .npy header that lies about its shape (an absurd size), bad magic, .mtx
// with a negative index or a value that is not a number, an absurd literal
// shape (the allocation fails cleanly), an impossible pipeline option.
// RUN: %python -c "import struct; h = \"{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000, 4), }\"; h = h + ' ' * (118 - len(h)) + '\n'; open('%t/huge.npy', 'wb').write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(h)) + h.encode() + bytes(32))"
// RUN: not sparse-runner %s --input=@%t/huge.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: sparse-runner: error: input #0: '{{.*}}huge.npy': the header promises 400000000000 elements (1600000000000 bytes) but the file holds 32 bytes of data
// RUN: %python -c "open('%t/magic.npy', 'wb').write(b'NOTNUMPY' + bytes(100))"
// RUN: not sparse-runner %s --input=@%t/magic.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: sparse-runner: error: input #0: '{{.*}}magic.npy' is not a .npy file (bad magic)
// RUN: printf '%%%%%%%%MatrixMarket matrix coordinate real general\n3 4 1\n-1 2 1.0\n' > %t/neg.mtx
// RUN: not sparse-runner %s --input=@%t/x.npy --input=@%t/neg.mtx 2>&1 | FileCheck %s --check-prefix=MTXNEG
// MTXNEG: sparse-runner: error: input #1: '{{.*}}neg.mtx': line 3: index (-1, 2) is outside the 1-based 3 x 4 matrix
// RUN: printf '%%%%%%%%MatrixMarket matrix coordinate real general\n3 4 1\n1 2 abc\n' > %t/text.mtx
// RUN: not sparse-runner %s --input=@%t/x.npy --input=@%t/text.mtx 2>&1 | FileCheck %s --check-prefix=MTXTEXT
// MTXTEXT: sparse-runner: error: input #1: '{{.*}}text.mtx': line 3: expected a value
// RUN: not sparse-runner %s --input=100000000000x4xf32=1 --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=ABSURD
// ABSURD: sparse-runner: error: input #0 '100000000000x4xf32=1': out of memory allocating 1600000000000 bytes
// RUN: not sparse-runner %s --vl=-5 --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=VL
// RUN: not sparse-runner %s --vl=5000 --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=VL
// VL: sparse-runner: error: --vl must be -1 (host CPU), 0 (off) or a vector length of 1 to 1024
// RUN: not sparse-runner %s --gather=-2 --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=GATHER
// GATHER: sparse-runner: error: gather=-2 is out of range: -1 (the host's choice), 0 (scalar loads) or 1 (vector gathers)
// A NaN weight read from .mtx propagates as IEEE says (x is all ones: row 0
// of W holds the NaN, so column 0 of y is NaN; the others are 0).
// RUN: printf '%%%%%%%%MatrixMarket matrix coordinate real general\n3 4 1\n1 2 nan\n' > %t/nan.mtx
// RUN: sparse-runner %s --input=@%t/x.npy --input=@%t/nan.mtx | FileCheck %s --check-prefix=NAN
// NAN: 2x3xf32=nan,0,0,nan,0,0
// The accelerator target's options.
// RUN: not sparse-runner %s --target=gpu --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: sparse-runner: error: --target must be cpu, accel or gpu-emulated, got 'gpu'
// RUN: not sparse-runner %s --target=accel --arch=tpu --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=ARCH
// ARCH: sparse-runner: error: unknown accelerator 'tpu': give a preset (eie, scnn, cambricon-x, tc-2:4, dense, dense-decompress) or a #sacc.arch<...> attribute
// RUN: not sparse-runner %s --target=accel '--arch=#sacc.arch<weight_kib = 0>' --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=ARCHATTR
// ARCHATTR: sparse-runner: error: invalid accelerator '#sacc.arch<weight_kib = 0>': invalid #sacc.arch: weight_kib must be in [1, 1048576], got 0
// RUN: not sparse-runner %s --stats --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=STATSCPU
// STATSCPU: sparse-runner: error: --arch and --stats need --target=accel
// RUN: not sparse-runner %s --target=accel --stats=xml --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=STATSFMT
// STATSFMT: sparse-runner: error: --stats must be text or json, got 'xml'
// RUN: not sparse-runner %s --target=accel --select-formats --input=@%t/x.npy --input=3x4xf32=0,0,0,0,0,0,0,0,0,0,0,0 2>&1 | FileCheck %s --check-prefix=ACCSEL
// ACCSEL: sparse-runner: error: select-formats chooses CPU or GPU formats; on the accelerator its own model chooses them

// Encodings and formats a target cannot take: array-of-structs COO (CPU and
// the GPU pipeline), a format the accelerator does not decode, a forced N:M
// format the weights do not fit; and invalid GPU and pipeline options.
// RUN: not sparse-runner %S/Inputs/target-formats.mlir --entry=aos --input=2x4xf32=1,2,3,4,5,6,7,8 --input=3x4xf32=1,0,0,0,0,0,0,0,0,0,0,1 2>&1 | FileCheck %s --check-prefix=AOS
// RUN: not sparse-runner %S/Inputs/target-formats.mlir --entry=aos --target=gpu-emulated --input=2x4xf32=1,2,3,4,5,6,7,8 --input=3x4xf32=1,0,0,0,0,0,0,0,0,0,0,1 2>&1 | FileCheck %s --check-prefix=AOS
// AOS: sparse-runner: error: input #1 (3x4xf32=1,0,0,0,0,0,0,0,0,0,0,1) does not fit tensor<3x4xf32, {{.*}}>: array-of-structs COO cannot be packed; use singleton(soa)
// RUN: not sparse-runner %S/Inputs/target-formats.mlir --entry=forced --target=accel --arch=scnn --input=2x4xf32=1,2,3,4,5,6,7,8 2>&1 | FileCheck %s --check-prefix=ACCFMT
// ACCFMT: error: sacc.format 'nm<2,4>' is not one the accelerator decodes
// RUN: not sparse-runner %S/Inputs/target-formats.mlir --entry=forced --target=accel --arch=tc-2:4 --input=2x4xf32=1,2,3,4,5,6,7,8 2>&1 | FileCheck %s --check-prefix=ACCFIT
// ACCFIT: error: cannot map the layer with the forced format: nm<2,4>: row 0 has more than 2 nonzeros in the group of 4 at column 0
// RUN: not sparse-runner %S/Inputs/target-formats.mlir --entry=forced --target=gpu-emulated --gpu-threads=0 --input=2x4xf32=1,2,3,4,5,6,7,8 2>&1 | FileCheck %s --check-prefix=GPUTHREADS
// GPUTHREADS: sparse-runner: error: threads=0 is out of range: a block has 1 to 1024 threads
// RUN: not sparse-runner %S/Inputs/target-formats.mlir --entry=forced --gpu-threads=64 --input=2x4xf32=1,2,3,4,5,6,7,8 2>&1 | FileCheck %s --check-prefix=GPUCPU
// GPUCPU: sparse-runner: error: --gpu-threads needs --target=gpu-emulated
// RUN: not sparse-opt %s --sparsenn-cpu-pipeline="vl=abc" 2>&1 | FileCheck %s --check-prefix=PIPEOPT
// PIPEOPT: for the --vl option: 'abc' value invalid for integer argument
// RUN: not sparse-opt %s --sparsenn-gpu-pipeline="strategy=cusparse" 2>&1 | FileCheck %s --check-prefix=GPUOPT
// GPUOPT: sparsenn-gpu-pipeline: strategy='cusparse' is not one of codegen, library, auto

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
#NV24 = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j floordiv 4 : dense, j mod 4 : structured[2, 4]) }>

func.func @main(%x: tensor<?x4xf32>, %w: tensor<3x4xf32, #CSR>) -> tensor<?x3xf32> {
  %y = snn.linear %x, %w : (tensor<?x4xf32>, tensor<3x4xf32, #CSR>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

func.func @nv(%x: tensor<2x4xf32>, %w: tensor<3x4xf32, #NV24>) -> tensor<2x3xf32> {
  %y = snn.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32, #NV24>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
