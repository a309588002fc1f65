package dev.fabula;

/**
 * The stream is archived ({@link Retention#archive}): its events are in cold storage, so it can be
 * neither read normally nor appended to. Read it with {@link Retention#readArchived}, or bring it
 * back with {@link Retention#unarchive}. A {@link StreamDeletedException}, so that code that stops
 * at deleted streams stops here too.
 */
public class StreamArchivedException extends StreamDeletedException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for {@code streamId}. */
  public StreamArchivedException(String streamId) {
    super(streamId, "stream '" + streamId + "' is archived; read it with store.retention().readArchived(\"" + streamId
        + "\"), or bring it back with store.retention().unarchive(\"" + streamId + "\") before reading or appending");
  }
}
