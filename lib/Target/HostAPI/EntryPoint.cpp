//===- EntryPoint.cpp - host functions as library entry points ------------===//
//
// Reads a lowered host function as an entry point: the role of each memref
// argument (`mlstm.arg`) and result (`mlstm.result`), checked against the
// variant (which gates and states exist) and against each other (a static
// DQK of 64 in q must be 64 in k and C0). Everything the generated C code
// will assume is checked here, once, with a located error.
//
//===----------------------------------------------------------------------===//

#include "EntryPoint.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <map>

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::hostapi;

namespace {
struct RoleInfo {
  Role role;
  const char *attr;  // the mlstm.arg / mlstm.result value
  const char *cName; // the C parameter
  bool isResult;
  Group group;
};
} // namespace

// In the order of enum Role.
static const RoleInfo kRoles[] = {
    {Role::Q, "q", "q", false, Group::None},
    {Role::K, "k", "k", false, Group::None},
    {Role::V, "v", "v", false, Group::None},
    {Role::I, "i", "i", false, Group::None},
    {Role::F, "f", "f", false, Group::None},
    {Role::C0, "C0", "C0", false, Group::Init},
    {Role::N0, "n0", "n0", false, Group::Init},
    {Role::M0, "m0", "m0", false, Group::Init},
    {Role::H, "h", "h", true, Group::None},
    {Role::C, "C", "C_out", true, Group::Final},
    {Role::N, "n", "n_out", true, Group::Final},
    {Role::M, "m", "m_out", true, Group::Final},
    {Role::HIn, "h", "h", false, Group::None},
    {Role::DH, "dh", "dh", false, Group::None},
    {Role::DCIn, "dC", "dC", false, Group::FinalGrad},
    {Role::DNIn, "dn", "dn", false, Group::FinalGrad},
    {Role::DMIn, "dm", "dm", false, Group::FinalGrad},
    {Role::DQ, "dq", "dq", true, Group::None},
    {Role::DK, "dk", "dk", true, Group::None},
    {Role::DV, "dv", "dv", true, Group::None},
    {Role::DI, "di", "di", true, Group::None},
    {Role::DF, "df", "df", true, Group::None},
    {Role::DC0, "dC0", "dC0", true, Group::InitGrad},
    {Role::DN0, "dn0", "dn0", true, Group::InitGrad},
    {Role::DM0, "dm0", "dm0", true, Group::InitGrad},
};

static const RoleInfo &info(Role role) {
  return kRoles[static_cast<unsigned>(role)];
}

ArrayRef<Dim> hostapi::roleDims(Role role) {
  static const Dim qk[] = {Dim::B, Dim::NH, Dim::S, Dim::DQK};
  static const Dim vh[] = {Dim::B, Dim::NH, Dim::S, Dim::DHV};
  static const Dim gate[] = {Dim::B, Dim::NH, Dim::S};
  static const Dim c[] = {Dim::B, Dim::NH, Dim::DQK, Dim::DHV};
  static const Dim n[] = {Dim::B, Dim::NH, Dim::DQK};
  static const Dim m[] = {Dim::B, Dim::NH};
  switch (role) {
  case Role::Q:
  case Role::K:
  case Role::DQ:
  case Role::DK:
    return qk;
  case Role::V:
  case Role::H:
  case Role::HIn:
  case Role::DH:
  case Role::DV:
    return vh;
  case Role::I:
  case Role::F:
  case Role::DI:
  case Role::DF:
    return gate;
  case Role::C0:
  case Role::C:
  case Role::DCIn:
  case Role::DC0:
    return c;
  case Role::N0:
  case Role::N:
  case Role::DNIn:
  case Role::DN0:
    return n;
  case Role::M0:
  case Role::M:
  case Role::DMIn:
  case Role::DM0:
    return m;
  }
  llvm_unreachable("unknown role");
}

const char *hostapi::dimName(Dim dim) {
  static const char *const names[] = {"B", "NH", "S", "DQK", "DHV"};
  return names[static_cast<unsigned>(dim)];
}

const char *hostapi::roleCName(Role role) { return info(role).cName; }

const char *hostapi::groupFlag(Group group) {
  switch (group) {
  case Group::None:
    return "";
  case Group::Init:
    return "hasInit";
  case Group::Final:
    return "hasFinal";
  case Group::FinalGrad:
    return "hasFinalGrad";
  case Group::InitGrad:
    return "hasInitGrad";
  }
  llvm_unreachable("unknown group");
}

const char *hostapi::groupDescription(Group group) {
  switch (group) {
  case Group::None:
    return "";
  case Group::Init:
    return "the initial states";
  case Group::Final:
    return "the final states";
  case Group::FinalGrad:
    return "the final-state cotangents";
  case Group::InitGrad:
    return "the initial-state gradients";
  }
  llvm_unreachable("unknown group");
}

const char *hostapi::dtypeName(Type type) {
  if (type.isBF16())
    return "bf16";
  if (type.isF16())
    return "f16";
  if (type.isF32())
    return "f32";
  return nullptr;
}

static bool isCIdentifier(StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// Checks the memref type of a tensor parameter: rank of its role, an
/// element type the C API has a dtype for, a strided layout whose offset the
/// runtime can give (0, or dynamic: it passes 0).
static LogicalResult checkParamType(func::FuncOp func, const TensorParam &p,
                                    Type type) {
  auto describe = [&]() {
    return func.emitError() << (p.isResult ? "result #" : "argument #")
                            << p.index << " ('" << info(p.role).attr << "') ";
  };
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref)
    return describe() << "must be a memref, not " << type;
  if (memref.getRank() != static_cast<int64_t>(roleDims(p.role).size()))
    return describe() << "must have rank " << roleDims(p.role).size()
                      << ", not " << memref;
  if (!dtypeName(memref.getElementType()))
    return describe() << "has element type " << memref.getElementType()
                      << "; the C API takes bf16, f16 and f32 tensors";
  if (memref.getMemorySpace())
    return describe() << "must be in the default memory space: " << memref;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(memref.getStridesAndOffset(strides, offset)))
    return describe() << "must have a strided layout: " << memref;
  if (!p.isResult && offset != 0 && !ShapedType::isDynamic(offset))
    return describe() << "has a static offset " << offset
                      << "; a tensor argument starts at its data pointer";
  return success();
}

/// How a result reaches the user: a returned memref.alloc is the user's
/// tensor (the kernels write it); a returned subview is copied out.
static FailureOr<bool> isCopiedOut(func::FuncOp func, unsigned index) {
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  Operation *def = ret.getOperand(index).getDefiningOp();
  // A cast only changes the static layout information.
  while (auto cast = dyn_cast_or_null<memref::CastOp>(def))
    def = cast.getSource().getDefiningOp();
  if (isa_and_nonnull<memref::AllocOp>(def))
    return false;
  if (isa_and_nonnull<memref::SubViewOp>(def))
    return true;
  return func.emitError() << "result #" << index
                          << " must be returned from a memref.alloc (the "
                             "user's output tensor) or a memref.subview "
                             "(copied into it)";
}

FailureOr<EntryPoint> hostapi::analyzeEntryPoint(func::FuncOp func) {
  EntryPoint entry;
  entry.func = func;
  entry.name = func.getSymName().str();
  if (!isCIdentifier(entry.name))
    return func.emitError("the entry point name must be a C identifier");
  if (!func.getBody().hasOneBlock())
    return func.emitError("a host function must be one block (the host API "
                          "emitter translates straight-line code)");
  entry.variant = func->getAttrOfType<VariantAttr>("mlstm.variant");
  if (!entry.variant)
    return func.emitError("missing 'mlstm.variant' (#mlstm.variant<...>)");
  auto chunk = func->getAttrOfType<IntegerAttr>("mlstm.chunk_size");
  if (!chunk)
    return func.emitError("missing 'mlstm.chunk_size' (an integer)");
  entry.chunkSize = chunk.getInt();
  if (auto grad =
          func->getAttrOfType<DenominatorGradAttr>("mlstm.denominator_grad"))
    entry.detached = grad.getValue() == DenominatorGrad::Detached;

  // Roles, in C parameter order: arguments, then results.
  std::map<Role, bool> seen;
  auto addParam = [&](bool isResult, unsigned index, StringAttr attr,
                      Type type) -> LogicalResult {
    const char *kind = isResult ? "result" : "argument";
    if (!attr)
      return func.emitError()
             << kind << " #" << index << " has no 'mlstm."
             << (isResult ? "result" : "arg") << "' string attribute";
    const RoleInfo *role = nullptr;
    for (const RoleInfo &candidate : kRoles)
      if (candidate.isResult == isResult && attr.getValue() == candidate.attr)
        role = &candidate;
    if (!role)
      return func.emitError()
             << kind << " #" << index << " has unknown role " << attr
             << (isResult ? " (expected h, C, n, m, dq, dk, dv, di, df, dC0, "
                            "dn0 or dm0)"
                          : " (expected q, k, v, i, f, C0, n0, m0, h, dh, dC, "
                            "dn or dm)");
    if (seen[role->role])
      return func.emitError() << "two " << kind << "s have role " << attr;
    seen[role->role] = true;
    TensorParam p;
    p.role = role->role;
    p.cName = role->cName;
    p.isResult = isResult;
    p.group = role->group;
    p.optional = role->group != Group::None;
    p.index = index;
    if (failed(checkParamType(func, p, type)))
      return failure();
    p.type = cast<MemRefType>(type);
    if (isResult) {
      FailureOr<bool> copied = isCopiedOut(func, index);
      if (failed(copied))
        return failure();
      p.copiedOut = *copied;
    }
    entry.params.push_back(p);
    return success();
  };
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (failed(addParam(false, i,
                        func.getArgAttrOfType<StringAttr>(i, "mlstm.arg"),
                        func.getArgument(i).getType())))
      return failure();
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (failed(addParam(true, i,
                        func.getResultAttrOfType<StringAttr>(i, "mlstm.result"),
                        func.getResultTypes()[i])))
      return failure();

  // Which tensors exist follows from the variant.
  VariantAttr variant = entry.variant;
  auto expect = [&](Role role, bool wanted, StringRef why) -> LogicalResult {
    if (seen[role] == wanted)
      return success();
    return func.emitError() << (wanted ? "missing " : "unexpected ")
                            << (info(role).isResult ? "result '" : "argument '")
                            << info(role).attr << "' (" << why << ")";
  };
  bool normalizer = variant.hasNormalizerState(),
       maxState = variant.hasMaxState();
  bool inputGate = variant.getInputGate() != InputGate::None;
  bool forgetGate = variant.getForgetGate() != ForgetGate::None;
  entry.backward = seen[Role::DQ] || seen[Role::HIn];
  if (failed(expect(Role::Q, true, "every entry point takes q")) ||
      failed(expect(Role::K, true, "every entry point takes k")) ||
      failed(expect(Role::V, true, "every entry point takes v")) ||
      failed(expect(Role::I, inputGate, "the variant's input gate")) ||
      failed(expect(Role::F, forgetGate, "the variant's forget gate")))
    return failure();
  // An optional group: none, or exactly the variant's states (C; n with the
  // normalizer; m with the exp input gate), so that "all or none" is
  // well-defined for the user.
  auto states = [&](Role c, Role n, Role m, StringRef what) -> LogicalResult {
    if (!seen[c] && !seen[n] && !seen[m])
      return success();
    if (failed(expect(c, true, what)) ||
        failed(expect(n, normalizer, "the variant's normalizer")) ||
        failed(expect(m, maxState, "the variant's max state")))
      return failure();
    return success();
  };
  if (failed(states(Role::C0, Role::N0, Role::M0,
                    "initial states are all or none")))
    return failure();
  if (!entry.backward) {
    if (failed(expect(Role::H, true, "every forward entry point returns h")) ||
        failed(states(Role::C, Role::N, Role::M,
                      "final states are all or none")))
      return failure();
  } else {
    bool init = seen[Role::C0];
    if (failed(expect(Role::HIn, true, "a backward entry point takes h")) ||
        failed(expect(Role::DH, true, "a backward entry point takes dh")) ||
        failed(expect(Role::DQ, true, "a backward entry point returns dq")) ||
        failed(expect(Role::DK, true, "a backward entry point returns dk")) ||
        failed(expect(Role::DV, true, "a backward entry point returns dv")) ||
        failed(expect(Role::DI, inputGate, "the variant's input gate")) ||
        failed(expect(Role::DF, forgetGate, "the variant's forget gate")) ||
        failed(expect(Role::DC0, init, "a gradient per initial state")) ||
        failed(states(Role::DCIn, Role::DNIn, Role::DMIn,
                      "final-state cotangents are all or none")) ||
        failed(states(Role::DC0, Role::DN0, Role::DM0,
                      "initial-state gradients are all or none")))
      return failure();
  }

  // A static head dimension must be the same in every type that has it.
  std::map<Dim, std::pair<int64_t, std::string>> statics;
  for (const TensorParam &p : entry.params) {
    ArrayRef<Dim> dims = roleDims(p.role);
    for (auto [d, size] : llvm::enumerate(p.type.getShape())) {
      if (ShapedType::isDynamic(size))
        continue;
      auto [it, inserted] = statics.insert({dims[d], {size, p.cName}});
      if (!inserted && it->second.first != size)
        return func.emitError()
               << dimName(dims[d]) << " is " << it->second.first << " in "
               << it->second.second << " but " << size << " in " << p.cName;
    }
  }
  return entry;
}

std::string hostapi::describeOp(Operation *op) {
  std::string text = op->getName().getStringRef().str();
  if (auto loc = op->getLoc()->findInstanceOf<FileLineColLoc>())
    text += " at " + llvm::sys::path::filename(loc.getFilename()).str() + ":" +
            std::to_string(loc.getLine()) + ":" +
            std::to_string(loc.getColumn());
  return text;
}

std::string hostapi::escapeC(StringRef text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case '"':
      out += "\\\"";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '?': // never form a trigraph (g++ -std=gnu++17 still knows them)
      out += (i + 1 < text.size() && text[i + 1] == '?') ? "\\?" : "?";
      break;
    default:
      if (c < 0x20 || c >= 0x7f) {
        // Three octal digits: unlike \x, cannot swallow the next character.
        char buffer[5];
        std::snprintf(buffer, sizeof(buffer), "\\%03o", c);
        out += buffer;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out;
}
