//===--- WaitGroupModel.cpp - Wait groups and what each call does ---------===//

#include "WaitGroupModel.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/StringExtras.h"
#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace concheck::model {

WaitGroupModel::WaitGroupModel(const WaitGroupModelOptions &Opts) {
  for (const std::string &Entry : splitList(Opts.WaitGroupTypes)) {
    llvm::StringRef E(Entry);
    Configured C;
    auto [Name, Rest] = E.split('(');
    Name = Name.trim();
    Name.consume_front("::");
    C.Name = Name.str();
    if (!Rest.empty()) {
      Roles R;
      Rest = Rest.rtrim().rtrim(')');
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      Rest.split(Parts, ',', -1, false);
      for (llvm::StringRef P : Parts) {
        auto [Role, Member] = P.split('=');
        Role = Role.trim();
        Member = Member.trim();
        if (Role == "add")
          R.Add = Member.str();
        else if (Role == "done")
          R.Done = Member.str();
        else if (Role == "wait")
          R.Wait = Member.str();
        else if (Role == "go")
          R.Go = Member.str();
        else if (Role == "done_and_wait")
          R.DoneAndWait = Member.str();
      }
      C.Explicit = R;
    }
    Types.push_back(std::move(C));
  }
}

/// The name of a member of \p RD called \p Lower or its Go-style capitalised
/// spelling, or "" when it has neither.
static std::string memberIn(const CXXRecordDecl *RD, llvm::StringRef Lower) {
  std::string Upper = Lower.str();
  Upper[0] = llvm::toUpper(Upper[0]);
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!M->getDeclName().isIdentifier())
      continue;
    if (M->getName() == Lower)
      return Lower.str();
    if (M->getName() == Upper)
      return Upper;
  }
  return "";
}

std::optional<WaitGroupModel::Roles>
WaitGroupModel::rolesOf(const CXXRecordDecl *RD) const {
  if (!RD || !RD->getDeclName().isIdentifier())
    return std::nullopt;
  RD = RD->getDefinition() ? RD->getDefinition() : RD;
  llvm::StringRef Name = RD->getName();

  if (Name == "latch" && RD->isInStdNamespace())
    return Roles{"", "count_down", "wait", "", "arrive_and_wait"};
  if (Name == "BlockingCounter" && qualifiedName(RD) == "absl::BlockingCounter")
    return Roles{"", "DecrementCount", "Wait", "", ""};

  const std::string Q = qualifiedName(RD);
  for (const Configured &C : Types) {
    if (C.Name != Q)
      continue;
    if (C.Explicit)
      return C.Explicit;
    return Roles{memberIn(RD, "add"), memberIn(RD, "done"),
                 memberIn(RD, "wait"), memberIn(RD, "go"), ""};
  }

  // concheck::wait_group and any WaitGroup / wait_group ported from Go.
  if (Name == "wait_group" || Name == "WaitGroup") {
    Roles R{memberIn(RD, "add"), memberIn(RD, "done"), memberIn(RD, "wait"),
            memberIn(RD, "go"), ""};
    if (!R.Add.empty() && !R.Done.empty() && !R.Wait.empty())
      return R;
  }
  return std::nullopt;
}

bool WaitGroupModel::isWaitGroupRecord(const CXXRecordDecl *RD) const {
  return rolesOf(RD).has_value();
}

std::string WaitGroupModel::methodFor(const CXXRecordDecl *RD,
                                      GroupOp::Kind K) const {
  std::optional<Roles> R = rolesOf(RD);
  if (!R)
    return "";
  switch (K) {
  case GroupOp::Add:
    return R->Add;
  case GroupOp::Done:
    return R->Done;
  case GroupOp::Wait:
    return R->Wait;
  case GroupOp::DoneAndWait:
    return R->DoneAndWait;
  case GroupOp::Go:
    return R->Go;
  }
  return "";
}

std::vector<std::string> WaitGroupModel::methodNames() const {
  std::vector<std::string> Names = {"add",   "Add",        "done",
                                    "Done",  "wait",       "Wait",
                                    "go",    "Go",         "count_down",
                                    "arrive_and_wait",     "DecrementCount"};
  for (const Configured &C : Types)
    if (C.Explicit)
      for (const std::string *M :
           {&C.Explicit->Add, &C.Explicit->Done, &C.Explicit->Wait,
            &C.Explicit->Go, &C.Explicit->DoneAndWait})
        if (!M->empty())
          Names.push_back(*M);
  return Names;
}

static std::optional<int64_t> constantArg(const CXXMemberCallExpr *Call,
                                          int64_t Default) {
  if (Call->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(Call->getArg(0)))
    return Default;
  const Expr *A = Call->getArg(0)->IgnoreParenImpCasts();
  if (A->isValueDependent())
    return std::nullopt;
  if (const auto *IL = dyn_cast<IntegerLiteral>(A))
    return IL->getValue().getSExtValue();
  if (const auto *UO = dyn_cast<UnaryOperator>(A);
      UO && UO->getOpcode() == UO_Minus)
    if (const auto *IL =
            dyn_cast<IntegerLiteral>(UO->getSubExpr()->IgnoreParenImpCasts()))
      return -IL->getValue().getSExtValue();
  return std::nullopt;
}

std::optional<GroupOp> WaitGroupModel::classify(const Expr *E,
                                                const Bindings *B) const {
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(E);
  if (!Call)
    return std::nullopt;
  const CXXMethodDecl *MD = Call->getMethodDecl();
  if (!MD || !MD->getDeclName().isIdentifier())
    return std::nullopt;
  std::optional<Roles> R = rolesOf(MD->getParent());
  if (!R)
    return std::nullopt;
  llvm::StringRef Name = MD->getName();
  GroupOp Op;
  if (Name == R->Add)
    Op.K = GroupOp::Add, Op.Amount = constantArg(Call, 1);
  else if (Name == R->Done)
    Op.K = GroupOp::Done, Op.Amount = constantArg(Call, 1);
  else if (Name == R->Wait)
    Op.K = GroupOp::Wait;
  else if (!R->Go.empty() && Name == R->Go)
    Op.K = GroupOp::Go;
  else if (!R->DoneAndWait.empty() && Name == R->DoneAndWait)
    Op.K = GroupOp::DoneAndWait, Op.Amount = constantArg(Call, 1);
  else
    return std::nullopt;
  // absl::BlockingCounter::DecrementCount and latch::count_down take no
  // amount / a count; done() always takes none.
  if (Op.K == GroupOp::Done && Call->getNumArgs() == 0)
    Op.Amount = 1;
  Op.Call = Call;
  Op.Object = Call->getImplicitObjectArgument();
  Op.Method = Name.str();
  if (Op.Object)
    Op.Group = AccessPath::ofObject(Op.Object, B);
  return Op;
}

} // namespace concheck::model
