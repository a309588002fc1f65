package dev.fabula.scheduler;

import java.util.List;

/**
 * Why a job is or is not running now ({@link JobQueue#explain}).
 *
 * @param job the job as read
 * @param reasons what holds it back, in plain words, most important first; for a running job who
 *     holds it, for a finished job how it ended; never empty
 */
public record JobDiagnosis(Job job, List<String> reasons) {

  /** The reasons on one line each. */
  @Override
  public String toString() {
    return "job " + job.id() + " (" + job.type() + ", " + job.state() + "): " + String.join("; ", reasons);
  }
}
