//===- SAccAttrs.cpp - Attributes of the sacc dialect ---------------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SAcc/IR/SAccAttrs.h"
#include "sparsenn/Dialect/SAcc/IR/SAccDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::sacc;
using sparsenn::accel::Arch;
using sparsenn::accel::Format;
using sparsenn::accel::FormatKind;

#define GET_ATTRDEF_CLASSES
#include "sparsenn/Dialect/SAcc/IR/SAccAttrs.cpp.inc"

void SAccDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "sparsenn/Dialect/SAcc/IR/SAccAttrs.cpp.inc"
      >();
}

namespace {

/// One parameter of #sacc.arch: its keyword and where it lives in Arch.
struct Param {
  const char *name;
  uint32_t Arch::*u32 = nullptr;
  double Arch::*f64 = nullptr;
  bool Arch::*flag = nullptr;
};

const Param kParams[] = {
    {"pe_rows", &Arch::peRows},
    {"pe_cols", &Arch::peCols},
    {"macs_per_pe", &Arch::macsPerPE},
    {"weight_kib", &Arch::weightKiB},
    {"act_kib", &Arch::actKiB},
    {"out_kib", &Arch::outKiB},
    {"dram_bytes_per_cycle", &Arch::dramBytesPerCycle},
    {"dram_latency", &Arch::dramLatency},
    {"freq_mhz", &Arch::freqMHz},
    {"formats"},
    {"skip_zero_activations", nullptr, nullptr, &Arch::skipZeroActivations},
    {"sparse_pes", nullptr, nullptr, &Arch::sparsePEs},
    {"mac_pj", nullptr, &Arch::macPJ},
    {"sram_read_pj_per_byte", nullptr, &Arch::sramReadPJPerByte},
    {"sram_write_pj_per_byte", nullptr, &Arch::sramWritePJPerByte},
    {"dram_pj_per_byte", nullptr, &Arch::dramPJPerByte},
    {"decode_pj", nullptr, &Arch::decodePJ},
    {"pe_area_mm2", nullptr, &Arch::peAreaMM2},
    {"sparse_pe_extra_mm2", nullptr, &Arch::sparsePEExtraMM2},
    {"sram_area_mm2_per_kib", nullptr, &Arch::sramAreaMM2PerKiB},
    {"decompressor_area_mm2", nullptr, &Arch::decompressorAreaMM2},
};

/// The shortest spelling of `v` that parses back to it, as an MLIR float
/// literal (always with a '.').
std::string floatLiteral(double v) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (strtod(buf, nullptr) == v)
      break;
  }
  std::string s = buf;
  if (s.find_first_of(".ni") == std::string::npos) {
    size_t e = s.find('e');
    s.insert(e == std::string::npos ? s.size() : e, ".0");
  }
  return s;
}

bool sameFormats(const Arch &a, const Arch &b) {
  if (a.numFormats != b.numFormats)
    return false;
  for (uint32_t i = 0; i < a.numFormats; ++i)
    if (a.formats[i] != b.formats[i])
      return false;
  return true;
}

ParseResult parseFormatList(AsmParser &p, Arch &arch) {
  arch.numFormats = 0;
  return p.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        SMLoc loc = p.getCurrentLocation();
        StringRef kw;
        if (p.parseKeyword(&kw))
          return failure();
        std::string text = kw.str();
        if (kw == "nm" || kw == "block") {
          unsigned a, b;
          if (p.parseLess() || p.parseInteger(a) || p.parseComma() ||
              p.parseInteger(b) || p.parseGreater())
            return failure();
          text += "<" + std::to_string(a) + "," + std::to_string(b) + ">";
        }
        Format f;
        if (!sparsenn::accel::parseFormat(text, f))
          return p.emitError(loc, "invalid weight format '")
                 << text
                 << "' (expected dense, csr, bitmap, nm<n, m> with 0 < n < m "
                    "<= 16, or block<r, c> with r, c in [1, 64])";
        if (arch.numFormats == sparsenn::accel::kMaxFormats)
          return p.emitError(loc, "at most ")
                 << sparsenn::accel::kMaxFormats << " formats";
        arch.formats[arch.numFormats++] = f;
        return success();
      });
}

} // namespace

Attribute ArchAttr::parse(AsmParser &p, Type) {
  Arch arch;
  if (p.parseLess())
    return {};
  if (failed(p.parseOptionalGreater())) {
    bool first = true;
    do {
      SMLoc loc = p.getCurrentLocation();
      StringRef key;
      if (p.parseKeyword(&key) || p.parseEqual())
        return {};
      if (key == "preset") {
        std::string name;
        if (p.parseString(&name))
          return {};
        if (!first) {
          p.emitError(loc, "'preset' must be the first parameter");
          return {};
        }
        if (!sparsenn::accel::getPreset(name, arch)) {
          p.emitError(loc, "unknown preset '")
              << name << "' (known: "
              << llvm::join(sparsenn::accel::presetNames(), ", ") << ")";
          return {};
        }
      } else {
        const Param *param = llvm::find_if(
            kParams, [&](const Param &x) { return key == x.name; });
        if (param == std::end(kParams)) {
          p.emitError(loc, "unknown #sacc.arch parameter '") << key << "'";
          return {};
        }
        if (param->u32) {
          uint64_t v = 0;
          if (p.parseInteger(v))
            return {};
          if (v > UINT32_MAX) {
            p.emitError(loc, "'") << key << "' is too large";
            return {};
          }
          arch.*(param->u32) = static_cast<uint32_t>(v);
        } else if (param->f64) {
          if (p.parseFloat(arch.*(param->f64)))
            return {};
        } else if (param->flag) {
          StringRef v;
          if (failed(p.parseOptionalKeyword(&v)) ||
              (v != "true" && v != "false")) {
            p.emitError(loc, "'") << key << "' must be true or false";
            return {};
          }
          arch.*(param->flag) = v == "true";
        } else if (failed(parseFormatList(p, arch))) {
          return {};
        }
      }
      first = false;
    } while (succeeded(p.parseOptionalComma()));
    if (p.parseGreater())
      return {};
  }
  return getChecked([&] { return p.emitError(p.getNameLoc()); }, p.getContext(),
                    arch);
}

void ArchAttr::print(AsmPrinter &p) const {
  const Arch &a = getValue(), defaults;
  SmallVector<std::string> parts;
  for (const Param &param : kParams) {
    std::string s;
    llvm::raw_string_ostream os(s);
    if (param.u32 && a.*(param.u32) != defaults.*(param.u32))
      os << param.name << " = " << a.*(param.u32);
    else if (param.f64 && a.*(param.f64) != defaults.*(param.f64))
      os << param.name << " = " << floatLiteral(a.*(param.f64));
    else if (param.flag && a.*(param.flag) != defaults.*(param.flag))
      os << param.name << " = " << (a.*(param.flag) ? "true" : "false");
    else if (!param.u32 && !param.f64 && !param.flag &&
             !sameFormats(a, defaults)) {
      os << "formats = [";
      for (uint32_t i = 0; i < a.numFormats; ++i) {
        std::string f = a.formats[i].str();
        // nm<2,4> -> nm<2, 4>
        if (size_t comma = f.find(','); comma != std::string::npos)
          f.insert(comma + 1, " ");
        os << (i ? ", " : "") << f;
      }
      os << "]";
    }
    if (!s.empty())
      parts.push_back(s);
  }
  p << "<";
  llvm::interleaveComma(parts, p, [&](const std::string &s) { p << s; });
  p << ">";
}

LogicalResult
ArchAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                 Arch arch) {
  if (std::string e = arch.validate(); !e.empty())
    return emitError() << "invalid #sacc.arch: " << e;
  return success();
}

FailureOr<ArchAttr> mlir::sacc::parseArchOption(MLIRContext *ctx,
                                                StringRef text,
                                                std::string &error) {
  ctx->getOrLoadDialect<SAccDialect>();
  std::string full = text.trim().str();
  if (!StringRef(full).starts_with("#sacc.arch")) {
    Arch arch;
    if (!sparsenn::accel::getPreset(full, arch)) {
      error = "unknown accelerator '" + full + "': give a preset (" +
              llvm::join(sparsenn::accel::presetNames(), ", ") +
              ") or a #sacc.arch<...> attribute";
      return failure();
    }
    return ArchAttr::get(ctx, arch);
  }
  std::string diag;
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &d) {
    diag = d.str();
    return success();
  });
  Attribute attr = mlir::parseAttribute(full, ctx);
  auto arch = dyn_cast_or_null<ArchAttr>(attr);
  if (!arch) {
    error = "invalid accelerator '" + full + "'" +
            (diag.empty() ? "" : ": " + diag);
    return failure();
  }
  return arch;
}
