//===- SAccDialect.cpp - The sacc dialect ---------------------------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SAcc/IR/SAccDialect.h"
#include "sparsenn/Dialect/SAcc/IR/SAccAttrs.h"
#include "sparsenn/Dialect/SAcc/IR/SAccOps.h"

using namespace mlir;
using namespace mlir::sacc;

#include "sparsenn/Dialect/SAcc/IR/SAccOpsDialect.cpp.inc"

void SAccDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "sparsenn/Dialect/SAcc/IR/SAccOps.cpp.inc"
      >();
  registerAttributes();
}
