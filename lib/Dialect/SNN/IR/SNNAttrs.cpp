//===- SNNAttrs.cpp - Attributes of the snn dialect -----------------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn/Dialect/SNN/IR/SNNAttrs.h"
#include "sparsenn/Dialect/SNN/IR/SNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::snn;

#include "sparsenn/Dialect/SNN/IR/SNNEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "sparsenn/Dialect/SNN/IR/SNNAttrs.cpp.inc"

void SNNDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "sparsenn/Dialect/SNN/IR/SNNAttrs.cpp.inc"
      >();
}

/// Parses `= [a, b]`.
static ParseResult parseSizePair(AsmParser &parser,
                                 SmallVectorImpl<int64_t> &sizes) {
  int64_t a, b;
  if (parser.parseEqual() || parser.parseLSquare() || parser.parseInteger(a) ||
      parser.parseComma() || parser.parseInteger(b) || parser.parseRSquare())
    return failure();
  sizes.assign({a, b});
  return success();
}

// #snn.pattern<unstructured, sparsity = 0.9> | <nm = [2, 4]> |
// <block = [4, 4], sparsity = 0.9> | <channel, sparsity = 0.5>
Attribute PatternAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<PatternKind> kind = symbolizePatternKind(keyword);
  if (!kind) {
    parser.emitError(loc, "expected one of 'unstructured', 'nm', 'block' or "
                          "'channel', got '")
        << keyword << "'";
    return {};
  }
  SmallVector<int64_t> sizes;
  if ((*kind == PatternKind::NM || *kind == PatternKind::Block) &&
      parseSizePair(parser, sizes))
    return {};
  FloatAttr sparsity;
  if (succeeded(parser.parseOptionalComma())) {
    double value;
    if (parser.parseKeyword("sparsity") || parser.parseEqual() ||
        parser.parseFloat(value))
      return {};
    sparsity = FloatAttr::get(Float64Type::get(parser.getContext()), value);
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<PatternAttr>(loc, parser.getContext(), *kind, sizes,
                                        sparsity);
}

void PatternAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifyPatternKind(getKind());
  if (!getSizes().empty())
    printer << " = [" << getSizes()[0] << ", " << getSizes()[1] << "]";
  if (std::optional<double> sparsity = getSparsityValue()) {
    // The shortest decimal that reads back as the same double.
    char text[32];
    for (int precision = 1; precision <= 17; ++precision) {
      snprintf(text, sizeof(text), "%.*g", precision, *sparsity);
      if (std::strtod(text, nullptr) == *sparsity)
        break;
    }
    printer << ", sparsity = " << text;
  }
  printer << ">";
}

LogicalResult PatternAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  PatternKind kind, ArrayRef<int64_t> sizes,
                                  FloatAttr sparsityAttr) {
  std::optional<double> sparsity;
  if (sparsityAttr)
    sparsity = sparsityAttr.getValueAsDouble();
  if (sparsity && !(*sparsity >= 0.0 && *sparsity <= 1.0))
    return emitError() << "sparsity must be a fraction of zeros in [0, 1], got "
                       << *sparsity;
  switch (kind) {
  case PatternKind::NM:
    if (sizes.size() != 2 || sizes[0] < 1 || sizes[0] >= sizes[1])
      return emitError() << "nm pattern needs 1 <= n < m";
    if (sparsity)
      return emitError() << "nm pattern implies its sparsity (1 - n/m); do "
                            "not give one";
    return success();
  case PatternKind::Block:
    if (sizes.size() != 2 || sizes[0] < 1 || sizes[1] < 1)
      return emitError() << "block pattern needs positive block sizes";
    return success();
  case PatternKind::Unstructured:
  case PatternKind::Channel:
    if (!sizes.empty())
      return emitError() << "'" << stringifyPatternKind(kind)
                         << "' pattern takes no sizes";
    return success();
  }
  return success();
}
