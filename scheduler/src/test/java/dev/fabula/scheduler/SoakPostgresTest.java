package dev.fabula.scheduler;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;

/**
 * Long loops on PostgreSQL, run with {@code mvn -pl scheduler verify -Psoak}: the whole contract once
 * more, and the crash, fencing and concurrency scenarios many times over.
 */
@Tag("soak")
class SoakPostgresTest extends JobQueuePostgresTest {

  @RepeatedTest(10)
  void a_killed_worker_process_loses_no_job_time_after_time() throws Exception {
    a_worker_process_killed_with_sigkill_while_running_jobs_loses_none_and_each_completes_once();
  }

  @RepeatedTest(20)
  void fencing_holds_time_after_time() throws Exception {
    a_worker_whose_lease_expired_cannot_overwrite_the_outcome_of_the_worker_that_took_over();
  }

  @RepeatedTest(10)
  void concurrency_limits_hold_time_after_time() throws Exception {
    the_overall_concurrency_limit_is_never_exceeded_across_two_worker_pools();
  }
}
