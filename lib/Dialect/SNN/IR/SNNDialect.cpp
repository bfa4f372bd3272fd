//===- SNNDialect.cpp - The snn dialect -----------------------------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/IR/SNNDialect.h"
#include "sparsenn/Dialect/SNN/IR/SNNAttrs.h"
#include "sparsenn/Dialect/SNN/IR/SNNOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::snn;

#include "sparsenn/Dialect/SNN/IR/SNNOpsDialect.cpp.inc"

void SNNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "sparsenn/Dialect/SNN/IR/SNNOps.cpp.inc"
      >();
  registerAttributes();
}
