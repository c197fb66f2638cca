//===--- WaitInTaskCheck.h - concheck-wait-in-task --------------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_WAITINTASKCHECK_H
#define CONCHECK_CHECKS_WAITINTASKCHECK_H

#include "TaskCheckBase.h"

namespace concheck {

/// Finds a wait() on a group from inside a task that the same group counts,
/// before the task's own done(): the task waits for itself, a certain
/// deadlock.
///
/// For the user-facing documentation see:
/// docs/checks/wait-in-task.md
class WaitInTaskCheck : public TaskCheckBase {
public:
  using TaskCheckBase::TaskCheckBase;

protected:
  void checkTask(const model::Task &T, clang::ASTContext &Ctx) override;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_WAITINTASKCHECK_H
