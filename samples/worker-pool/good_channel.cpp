// The seed's worker pool spelled out with a channel, as Go code writes it: a
// fixed set of workers ranges over one jobs channel and sends results to
// another. main sends the jobs and closes the channel; the workers leave
// their loops when it is drained; a closer task waits for the workers and
// then closes the results channel, which ends main's loop over the results.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: clean

#include <concheck/channel.h>
#include <concheck/wait_group.h>

#include <cstdio>

int checksum(int job) { return job * job % 97; }

int main() {
  concheck::channel<int> jobs(8);    // make(chan int, 8)
  concheck::channel<int> results(8);

  concheck::wait_group workers;
  for (int w = 0; w < 4; ++w)
    workers.go([&jobs, &results] {
      for (int job : jobs) // until jobs is closed and drained
        results.send(checksum(job));
    });

  concheck::wait_group closer;
  closer.go([&workers, &results] {
    workers.wait(); // every send to results has been made
    results.close();
  });

  // A feeder task sends the jobs, not main: with both buffers full, the
  // workers block on results, and main, still sending jobs, would never get
  // to read one.
  concheck::wait_group feeder;
  feeder.go([&jobs] {
    for (int job = 1; job <= 20; ++job)
      jobs.send(job);
    jobs.close(); // the sending side closes
  });

  int total = 0;
  for (int checksum : results)
    total += checksum;
  std::printf("total checksum: %d\n", total);
  feeder.wait();
  closer.wait();
}
