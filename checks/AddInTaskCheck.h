//===--- AddInTaskCheck.h - concheck-add-in-task ----------------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_ADDINTASKCHECK_H
#define CONCHECK_CHECKS_ADDINTASKCHECK_H

#include "TaskCheckBase.h"

namespace concheck {

/// Finds a wait group's add that runs inside the task it counts, so that
/// wait() can return before the task has even started.
///
/// For the user-facing documentation see:
/// docs/checks/add-in-task.md
class AddInTaskCheck : public TaskCheckBase {
public:
  using TaskCheckBase::TaskCheckBase;

protected:
  void checkTask(const model::Task &T, clang::ASTContext &Ctx) override;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_ADDINTASKCHECK_H
