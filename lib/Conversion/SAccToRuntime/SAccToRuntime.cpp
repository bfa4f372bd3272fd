//===- SAccToRuntime.cpp - sacc.launch -> a call of sacc_launch -----------===//
//
// Part of SparseNN. Encodes each launch's commands with runtime/accel's
// encoder (the same bytes `sparse-translate --sacc-to-commands` writes) and
// calls `sacc_launch` on the launch's DRAM regions.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Conversion/SAccToRuntime/SAccToRuntime.h"
#include "sparsenn/Dialect/SAcc/IR/SAccOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir {
#define GEN_PASS_DEF_CONVERTSACCTORUNTIMEPASS
#include "sparsenn/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;
namespace accel = sparsenn::accel;

namespace {

constexpr llvm::StringLiteral kLaunchFn = "sacc_launch";

/// A private constant global holding `value` (1-D i8), 64-byte aligned.
memref::GlobalOp createByteGlobal(OpBuilder &b, Location loc,
                                  SymbolTable &symbols, StringRef name,
                                  ElementsAttr value) {
  auto type = MemRefType::get({cast<ShapedType>(value.getType()).getDimSize(0)},
                              b.getIntegerType(8));
  auto global = memref::GlobalOp::create(
      b, loc, name, b.getStringAttr("private"), type, value,
      /*constant=*/true, b.getI64IntegerAttr(64));
  symbols.insert(global); // renames on a clash
  return global;
}

/// The address of a memref's data as an !llvm.ptr.
Value pointerOf(OpBuilder &b, Location loc, Value memref) {
  Value index = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  return LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()), i64);
}

struct ConvertSAccToRuntimePass
    : impl::ConvertSAccToRuntimePassBase<ConvertSAccToRuntimePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<sacc::LaunchOp> launches;
    module.walk([&](sacc::LaunchOp op) { launches.push_back(op); });
    if (launches.empty())
      return;
    SymbolTable symbols(module);
    MLIRContext *ctx = &getContext();
    OpBuilder mb = OpBuilder::atBlockBegin(module.getBody());
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto fnType = FunctionType::get(
        ctx, {ptrType, mb.getI64Type(), ptrType, ptrType, mb.getI32Type()},
        {mb.getI32Type()});
    if (auto existing = symbols.lookup<func::FuncOp>(kLaunchFn)) {
      if (existing.getFunctionType() != fnType) {
        existing.emitError() << "'" << kLaunchFn
                             << "' is declared with another type than the "
                                "accelerator runtime's "
                             << fnType;
        return signalPassFailure();
      }
    } else {
      auto decl = func::FuncOp::create(mb, module.getLoc(), kLaunchFn, fnType);
      decl.setPrivate();
      symbols.insert(decl);
    }

    for (auto [index, launch] : llvm::enumerate(launches)) {
      Location loc = launch.getLoc();
      // The record, encoded once at compile time.
      std::vector<uint8_t> record;
      accel::encodeLaunch(sacc::toLaunch(launch), record);
      auto recordType =
          RankedTensorType::get({int64_t(record.size())}, mb.getIntegerType(8));
      auto recordAttr = DenseResourceElementsAttr::get(
          recordType, "sacc_record_" + std::to_string(index),
          HeapAsmResourceBlob::allocateAndCopyInferAlign(
              ArrayRef<uint8_t>(record)));
      mb.setInsertionPoint(module.getBody(), module.getBody()->begin());
      memref::GlobalOp recordGlobal = createByteGlobal(
          mb, loc, symbols, "sacc_record_" + std::to_string(index), recordAttr);
      memref::GlobalOp imageGlobal = createByteGlobal(
          mb, loc, symbols, "sacc_image_" + std::to_string(index),
          cast<ElementsAttr>(launch.getWeights()));

      OpBuilder b(launch);
      SmallVector<Value> regions;
      regions.push_back(memref::GetGlobalOp::create(
          b, loc, imageGlobal.getType(), imageGlobal.getSymName()));
      for (Value in : launch.getInputs()) {
        auto t = cast<RankedTensorType>(in.getType());
        auto buf = bufferization::ToBufferOp::create(
            b, loc, MemRefType::get(t.getShape(), t.getElementType()), in,
            /*readOnly=*/true);
        regions.push_back(buf);
      }
      SmallVector<Value> outputs;
      Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
      for (Type t : launch.getResultTypes()) {
        auto rt = cast<RankedTensorType>(t);
        auto buf = memref::AllocOp::create(
            b, loc, MemRefType::get(rt.getShape(), rt.getElementType()),
            b.getI64IntegerAttr(64));
        linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{buf});
        regions.push_back(buf);
        outputs.push_back(buf);
      }
      // Two arrays on the stack: region addresses and sizes.
      std::vector<uint64_t> sizes = launch.getRegionBytes();
      auto arrayType =
          MemRefType::get({int64_t(regions.size())}, b.getI64Type());
      Value addrs = memref::AllocaOp::create(b, loc, arrayType);
      Value bytes = memref::AllocaOp::create(b, loc, arrayType);
      for (auto [i, r] : llvm::enumerate(regions)) {
        Value idx = arith::ConstantIndexOp::create(b, loc, i);
        Value addr = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, r);
        memref::StoreOp::create(
            b, loc, arith::IndexCastOp::create(b, loc, b.getI64Type(), addr),
            addrs, idx);
        memref::StoreOp::create(
            b, loc,
            arith::ConstantIntOp::create(b, loc, b.getI64Type(),
                                         static_cast<int64_t>(sizes[i])),
            bytes, idx);
      }
      Value recordBuf = memref::GetGlobalOp::create(
          b, loc, recordGlobal.getType(), recordGlobal.getSymName());
      func::CallOp::create(
          b, loc, kLaunchFn, TypeRange{b.getI32Type()},
          ValueRange{pointerOf(b, loc, recordBuf),
                     arith::ConstantIntOp::create(b, loc, b.getI64Type(),
                                                  int64_t(record.size())),
                     pointerOf(b, loc, addrs), pointerOf(b, loc, bytes),
                     arith::ConstantIntOp::create(b, loc, b.getI32Type(),
                                                  int64_t(regions.size()))});
      for (auto [result, buf] : llvm::zip(launch.getResults(), outputs))
        result.replaceAllUsesWith(bufferization::ToTensorOp::create(
            b, loc, result.getType(), buf, /*restrict=*/true,
            /*writable=*/true));
      launch.erase();
    }
  }
};

} // namespace
