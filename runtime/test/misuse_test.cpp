// Tests for <concheck/misuse.h>: the handler every primitive reports through.
#include <concheck/misuse.h>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace {

struct misuse_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void throwing_handler(const concheck::misuse_report &r) {
  throw misuse_error(std::string(r.primitive) + ": " + r.message);
}

TEST(MisuseTest, DefaultHandlerPrintsAndAborts) {
  EXPECT_DEATH(concheck::report_misuse(concheck::misuse::negative_counter,
                                       "wait_group"),
               "concheck: misuse of wait_group: negative counter");
}

TEST(MisuseTest, InstalledHandlerReceivesTheReport) {
  concheck::misuse_handler previous =
      concheck::set_misuse_handler(&throwing_handler);
  try {
    concheck::report_misuse(concheck::misuse::close_of_closed_channel,
                            "channel");
    FAIL() << "report_misuse returned";
  } catch (const misuse_error &e) {
    EXPECT_STREQ(e.what(), "channel: close of closed channel");
  }
  EXPECT_EQ(concheck::set_misuse_handler(previous), &throwing_handler);
}

TEST(MisuseTest, NullRestoresTheDefault) {
  concheck::set_misuse_handler(&throwing_handler);
  concheck::set_misuse_handler(nullptr);
  EXPECT_DEATH(concheck::report_misuse(concheck::misuse::add_during_wait,
                                       "wait_group"),
               "add called concurrently with wait");
}

void returning_handler(const concheck::misuse_report &) {}

TEST(MisuseTest, AHandlerThatReturnsStillAborts) {
  EXPECT_DEATH(
      {
        concheck::set_misuse_handler(&returning_handler);
        concheck::report_misuse(concheck::misuse::send_on_closed_channel,
                                "channel");
      },
      "send on closed channel \\(the misuse handler returned\\)");
}

TEST(MisuseTest, EveryMisuseHasItsOwnMessage) {
  using concheck::misuse;
  const misuse all[] = {misuse::negative_counter,
                        misuse::add_during_wait,
                        misuse::reuse_before_wait_returned,
                        misuse::destroyed_with_tasks,
                        misuse::wait_from_own_task,
                        misuse::send_on_closed_channel,
                        misuse::close_of_closed_channel,
                        misuse::submit_after_close,
                        misuse::semaphore_overflow,
                        misuse::unlock_of_unlocked_mutex};
  for (misuse a : all)
    for (misuse b : all) {
      if (a != b) {
        EXPECT_STRNE(concheck::misuse_message(a), concheck::misuse_message(b));
      }
    }
}

} // namespace
