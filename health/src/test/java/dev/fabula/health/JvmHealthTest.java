package dev.fabula.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The deadlock check finds two threads that wait for each other's lock. */
class JvmHealthTest {

  @Test
  void two_threads_waiting_for_each_others_lock_fail_liveness_and_are_named() throws Exception {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    CountDownLatch bothHold = new CountDownLatch(2);
    Thread first = new Thread(() -> crossLock(a, b, bothHold), "test-deadlock-first");
    Thread second = new Thread(() -> crossLock(b, a, bothHold), "test-deadlock-second");
    first.setDaemon(true);
    second.setDaemon(true);
    try (Health health = Health.of(HealthConfig.DEFAULT, List.of(JvmHealth.deadlocks()))) {
      assertThat(health.liveness().status()).isEqualTo(Status.UP);
      first.start();
      second.start();
      Await.until("the deadlock", HealthContract.WAIT, () -> health.liveness().status() == Status.DOWN);

      HealthCheck check = HealthContract.check(health.liveness(), "deadlocks");
      assertThat(check.message()).contains("2 threads are deadlocked").contains("test-deadlock-first", "test-deadlock-second");
    } finally {
      first.interrupt(); // lockInterruptibly: the interrupt ends the deadlock
      second.interrupt();
      first.join(TimeUnit.SECONDS.toMillis(10));
      second.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertThat(first.isAlive() || second.isAlive()).isFalse();
  }

  private static void crossLock(ReentrantLock mine, ReentrantLock theirs, CountDownLatch bothHold) {
    mine.lock();
    try {
      bothHold.countDown();
      bothHold.await(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
      theirs.lockInterruptibly();
      theirs.unlock();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      mine.unlock();
    }
  }
}
