package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Notifications;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** {@link Notifications} of one store: listeners over the dialect's LISTEN, channels named per store. */
final class NotificationsImpl implements Notifications {
  private static final int MAX_CHANNEL = 63;
  /** 12 bytes of SHA-256: two stores of one database share a channel with a chance of 2^-96. */
  private static final int HASH_BYTES = 12;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final String qualifiedPrefix;

  NotificationsImpl(Jdbi jdbi, Dialect dialect, String qualifiedPrefix) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.qualifiedPrefix = qualifiedPrefix;
  }

  @Override
  public boolean available() {
    return dialect.hasNotifications();
  }

  @Override
  public String channel(String topic) {
    if (!topic.matches("[a-z][a-z0-9_]{0,20}")) {
      throw new IllegalArgumentException("notification topic '" + topic + "' must be a short lowercase word");
    }
    return channel(qualifiedPrefix, topic);
  }

  /**
   * The channel name: the qualified prefix and topic made a lower-case identifier and cut to fit,
   * for people reading {@code pg_stat_activity}, then a hash of the exact prefix and topic, since
   * neither making an identifier (quotes, case, dots become {@code _}) nor cutting is one-to-one.
   */
  static String channel(String qualifiedPrefix, String topic) {
    String readable = "_" + (qualifiedPrefix + topic).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    String hash = HexFormat.of().formatHex(sha256(qualifiedPrefix + '\u0000' + topic), 0, HASH_BYTES);
    int room = MAX_CHANNEL - 1 - hash.length();
    return (readable.length() > room ? readable.substring(0, room) : readable) + "_" + hash;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public Subscription listen(String channel, Duration checkInterval, @Nullable DataSource dataSource, String threadName,
      Runnable onNotify) {
    if (!available()) {
      return () -> {};
    }
    NotificationListener listener = new NotificationListener(dialect, channel,
        new ListenConnections(jdbi, dataSource, threadName), checkInterval, threadName, onNotify);
    listener.start();
    return listener::close;
  }
}
