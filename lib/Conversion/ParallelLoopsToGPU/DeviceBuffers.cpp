//===- DeviceBuffers.cpp - Host buffers and their device copies -----------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "DeviceBuffers.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

Value snn::detail::rootBuffer(Value v, SmallVectorImpl<Operation *> *chain) {
  while (Operation *def = v.getDefiningOp()) {
    Value source;
    if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      source = view.getViewSource();
    else if (auto cast = dyn_cast<memref::CastOp>(def))
      source = cast.getSource();
    else
      break;
    if (chain)
      chain->insert(chain->begin(), def);
    v = source;
  }
  return v;
}

/// The suffix of the runtime's resident-copy function for buffers of
/// `elt` (sparsenn_gpu_resident_<suffix>), or "" for element types it has
/// none for.
static std::string residentSuffix(Type elt) {
  if (elt.isIndex())
    return "index";
  if (elt.isF16() || elt.isF32() || elt.isF64())
    return elt.isF16() ? "f16" : elt.isF32() ? "f32" : "f64";
  if (auto i = dyn_cast<IntegerType>(elt)) {
    unsigned w = i.getWidth();
    if (w == 8 || w == 16 || w == 32 || w == 64)
      return "i" + std::to_string(w);
  }
  return "";
}

Value snn::detail::createResidentCopy(OpBuilder &b, Location loc,
                                      ModuleOp module, Value root) {
  auto get = root.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return Value();
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      get, get.getNameAttr());
  auto type = cast<MemRefType>(root.getType());
  std::string suffix = residentSuffix(type.getElementType());
  if (!global || !global.getConstant() || suffix.empty() ||
      type.getRank() == 0 || !type.hasStaticShape() ||
      !type.getLayout().isIdentity() || type.getMemorySpace())
    return Value();
  // One rank-1 signature per element type: flatten, call, reshape back.
  Type elt = type.getElementType();
  auto flatType = MemRefType::get({type.getNumElements()}, elt);
  auto dynType = MemRefType::get({ShapedType::kDynamic}, elt);
  ReassociationIndices all =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  Value flat = root;
  if (type.getRank() != 1)
    flat = memref::CollapseShapeOp::create(b, loc, root,
                                           ArrayRef<ReassociationIndices>{all});
  std::string name = "sparsenn_gpu_resident_" + suffix;
  auto decl = module.lookupSymbol<func::FuncOp>(name);
  if (!decl) {
    OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
    decl = func::FuncOp::create(mb, loc, name,
                                mb.getFunctionType({dynType}, {dynType}));
    decl.setPrivate();
    decl->setAttr("llvm.emit_c_interface", mb.getUnitAttr());
  }
  Value device = func::CallOp::create(
                     b, loc, decl,
                     ValueRange{memref::CastOp::create(b, loc, dynType, flat)})
                     .getResult(0);
  device = memref::CastOp::create(b, loc, flatType, device);
  if (type.getRank() != 1)
    device = memref::ExpandShapeOp::create(b, loc, type, device,
                                           ArrayRef<ReassociationIndices>{all});
  return device;
}
