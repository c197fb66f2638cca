// The umbrella header compiles on its own and brings every primitive.
#include <concheck/sync.h>

#include <gtest/gtest.h>

#include <atomic>

namespace {

TEST(SyncTest, UmbrellaHeaderOffersEveryPrimitive) {
  concheck::wait_group wg;
  concheck::guarded<int> total(0);
  concheck::semaphore slots(2);
  concheck::channel<int> results(8);
  for (int i = 1; i <= 4; ++i)
    wg.go([&, i] {
      concheck::semaphore_guard slot(slots);
      total.with_lock([i](int &t) { t += i; });
      results.send(i);
    });
  wg.wait();
  results.close();
  int sum = 0;
  for (int v : results)
    sum += v;
  EXPECT_EQ(sum, 10);
  EXPECT_EQ(total.with_lock([](int &t) { return t; }), 10);

  auto [ctx, cancel] = concheck::with_cancel(concheck::context::background());
  EXPECT_FALSE(ctx.cancelled());
  cancel();
  EXPECT_TRUE(ctx.cancelled());

  concheck::worker_pool pool(2, 4);
  EXPECT_EQ(pool.submit([] { return 42; }).get(), 42);

  concheck::object_pool<std::atomic<int>> objects;
  auto object = objects.get();
  ASSERT_NE(object, nullptr);
  objects.put(std::move(object));
}

} // namespace
