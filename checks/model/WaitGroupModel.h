//===--- WaitGroupModel.h - Wait groups and what each call does -*- C++ -*-===//
//
// Part of concheck. The single place that decides which types are wait groups
// (a counter that tasks decrement and a waiter blocks on) and what role each
// of their member calls plays: add, done, wait, or go (add + spawn + done).
//
// Built in: concheck::wait_group (add/done/wait/go); any class named WaitGroup
// or wait_group with add/done/wait members in either spelling (Add/add: code
// ported from Go); std::latch (count_down, wait, arrive_and_wait);
// absl::BlockingCounter (DecrementCount, Wait). The WaitGroupTypes option adds
// more: ';'-separated entries, each a qualified type name, optionally followed
// by its member names in parentheses:
//
//   ::app::Countdown(add=Increment,done=Decrement,wait=Await)
//   ::app::Group                      (members add/done/wait, either case)
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_WAITGROUPMODEL_H
#define CONCHECK_MODEL_WAITGROUPMODEL_H

#include "AccessPath.h"
#include "Names.h"
#include "clang/AST/ExprCXX.h"
#include <optional>
#include <string>
#include <vector>

namespace concheck::model {

struct WaitGroupModelOptions {
  std::string WaitGroupTypes;
};

/// One call on a wait group.
struct GroupOp {
  enum Kind {
    Add,         ///< the counter goes up (add, Add)
    Done,        ///< the counter goes down (done, count_down, DecrementCount)
    Wait,        ///< blocks until the counter is zero (wait, Wait)
    DoneAndWait, ///< std::latch::arrive_and_wait
    Go,          ///< concheck::wait_group::go: add, spawn, done when it ends
  };
  Kind K;
  const clang::CXXMemberCallExpr *Call = nullptr;
  /// The group object as written (wg, *p, this->wg_).
  const clang::Expr *Object = nullptr;
  /// Canonical name of the group, when one can be formed.
  std::optional<AccessPath> Group;
  /// The amount added or removed, when it is a constant.
  std::optional<int64_t> Amount;
  /// The member as written ("add", "Add", "count_down").
  std::string Method;

  bool counts() const { return K == Done || K == DoneAndWait; }
  bool waits() const { return K == Wait || K == DoneAndWait; }
};

/// A local object of a task (or function) whose destruction calls done on a
/// group.
struct DoneGuard {
  const clang::VarDecl *Var = nullptr;
  AccessPath Group;
  /// How the task's code names the group (the guard's argument, the object
  /// of the done call in a scope-exit lambda), for messages.
  const clang::Expr *GroupExpr = nullptr;
};

class WaitGroupModel {
public:
  explicit WaitGroupModel(const WaitGroupModelOptions &Opts);

  /// Whether \p RD is a wait group (with the role names to use for it).
  bool isWaitGroupRecord(const clang::CXXRecordDecl *RD) const;

  /// The role \p E plays when it is a member call on a wait group.
  /// \p B maps a task's parameters and captures to the spawner's objects.
  std::optional<GroupOp> classify(const clang::Expr *E,
                                  const Bindings *B = nullptr) const;

  /// The member of wait group \p RD that plays role \p K ("done",
  /// "count_down", "DecrementCount"), or "" when it has none.
  std::string methodFor(const clang::CXXRecordDecl *RD,
                        GroupOp::Kind K) const;

  /// The member names any wait-group role can have, to prefilter matchers.
  std::vector<std::string> methodNames() const;

private:
  struct Roles {
    std::string Add, Done, Wait, Go, DoneAndWait;
  };
  /// The role names of \p RD, if it is a wait group.
  std::optional<Roles> rolesOf(const clang::CXXRecordDecl *RD) const;

  struct Configured {
    std::string Name; // qualified, without leading "::"
    std::optional<Roles> Explicit;
  };
  std::vector<Configured> Types;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_WAITGROUPMODEL_H
