//===- SAccToCommands.cpp - sacc -> the accelerator's command stream ------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SAcc/IR/SAccOps.h"
#include "sparsenn/InitAllDialects.h"
#include "sparsenn/Target/SAccCommands.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;
namespace accel = sparsenn::accel;

namespace {
constexpr uint64_t kImageAlign = 64;
} // namespace

LogicalResult mlir::sacc::buildProgram(ModuleOp module, StringRef entry,
                                       accel::Program &program) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func || func.isExternal()) {
    std::string names;
    for (auto f : module.getOps<func::FuncOp>())
      if (!f.isExternal())
        names += (names.empty() ? "" : ", ") + f.getSymName().str();
    return module.emitError() << "no function named '" << entry
                              << "' to serialize (the module has: "
                              << (names.empty() ? "none" : names) << ")";
  }
  if (!func.getBody().hasOneBlock())
    return func.emitError() << "the command stream needs a function of one "
                               "block";
  // Buffers as they are met; renumbered at the end: inputs, outputs (in
  // return order), temporaries, weights.
  std::vector<accel::ProgramBuffer> buffers;
  llvm::DenseMap<Value, uint32_t> bufferOf;
  auto tensorBuffer = [&](Value v, accel::BufferKind kind,
                          Location loc) -> FailureOr<uint32_t> {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (!t || !t.hasStaticShape() || !t.getElementType().isF32() ||
        t.getEncoding() || t.getRank() > 8)
      return emitError(loc) << "the command stream's buffers are static "
                               "dense f32 tensors of rank <= 8, got "
                            << v.getType();
    accel::ProgramBuffer b;
    b.kind = kind;
    b.bytes = 4 * static_cast<uint64_t>(t.getNumElements());
    for (int64_t d : t.getShape())
      b.shape.push_back(static_cast<uint32_t>(d));
    buffers.push_back(b);
    bufferOf[v] = buffers.size() - 1;
    return buffers.size() - 1;
  };
  for (BlockArgument arg : func.getArguments())
    if (failed(tensorBuffer(arg, accel::BufferKind::Input, func.getLoc())))
      return failure();

  for (Operation &op : func.getBody().front()) {
    if (auto launch = dyn_cast<sacc::LaunchOp>(op)) {
      std::optional<ArrayRef<char>> image = sacc::getWeightImage(launch);
      if (!image)
        return launch.emitError() << "the launch's weight image is not "
                                     "available (a splat or a missing "
                                     "resource blob)";
      accel::ProgramBuffer w;
      w.kind = accel::BufferKind::Weights;
      w.bytes = image->size();
      program.image.resize((program.image.size() + kImageAlign - 1) /
                               kImageAlign * kImageAlign,
                           0);
      w.imageOffset = program.image.size();
      program.image.insert(program.image.end(), image->begin(), image->end());
      buffers.push_back(w);
      std::vector<uint32_t> regions = {uint32_t(buffers.size() - 1)};
      for (Value in : launch.getInputs()) {
        auto it = bufferOf.find(in);
        if (it == bufferOf.end())
          return launch.emitError()
                 << "a launch operand must be a function argument or the "
                    "result of an earlier launch in the command stream";
        regions.push_back(it->second);
      }
      for (Value r : launch.getResults()) {
        FailureOr<uint32_t> id =
            tensorBuffer(r, accel::BufferKind::Temp, launch.getLoc());
        if (failed(id))
          return failure();
        regions.push_back(*id);
      }
      program.launches.push_back(sacc::toLaunch(launch));
      program.launchBuffers.push_back(std::move(regions));
      continue;
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<uint32_t> order;
      for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
        auto it = bufferOf.find(v);
        if (it == bufferOf.end() ||
            buffers[it->second].kind != accel::BufferKind::Temp)
          return ret.emitError()
                 << "result #" << i
                 << " must be the result of a launch (once) in the command "
                    "stream";
        buffers[it->second].kind = accel::BufferKind::Output;
        order.push_back(it->second);
      }
      // Renumber: inputs, outputs in return order, temporaries, weights.
      std::vector<uint32_t> newId(buffers.size());
      std::vector<accel::ProgramBuffer> sorted;
      auto take = [&](uint32_t id) {
        newId[id] = sorted.size();
        sorted.push_back(buffers[id]);
      };
      for (uint32_t id = 0; id < buffers.size(); ++id)
        if (buffers[id].kind == accel::BufferKind::Input)
          take(id);
      for (uint32_t id : order)
        take(id);
      for (auto kind : {accel::BufferKind::Temp, accel::BufferKind::Weights})
        for (uint32_t id = 0; id < buffers.size(); ++id)
          if (buffers[id].kind == kind)
            take(id);
      for (auto &regions : program.launchBuffers)
        for (uint32_t &id : regions)
          id = newId[id];
      program.buffers = std::move(sorted);
      return success();
    }
    // Weight constants that lowering left behind.
    if (isMemoryEffectFree(&op) && op.use_empty())
      continue;
    return op.emitError()
           << "'" << op.getName()
           << "' cannot run on the accelerator: the command stream needs "
              "every op of @"
           << entry
           << " to be a sacc.launch (sparse-runner --target=accel runs "
              "such ops on the CPU)";
  }
  return func.emitError() << "the function has no return";
}

void mlir::sacc::registerToCommandsTranslation() {
  static llvm::cl::opt<std::string> entry(
      "sacc-entry",
      llvm::cl::desc("With --sacc-to-commands: the function to serialize "
                     "(default main)"),
      llvm::cl::init("main"));
  TranslateFromMLIRRegistration reg(
      "sacc-to-commands",
      "Serialize a function of sacc launches (after convert-snn-to-sacc) "
      "into the accelerator's binary command stream (docs/AccelCommands.md)",
      [](ModuleOp module, raw_ostream &os) -> LogicalResult {
        accel::Program program;
        if (failed(buildProgram(module, entry, program)))
          return failure();
        std::vector<uint8_t> bytes;
        accel::encodeProgram(program, bytes);
        os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        return success();
      },
      [](DialectRegistry &registry) {
        registerAllDialects(registry);
        sparsenn::registerAllDialects(registry);
      });
}
