package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Notifications;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** {@link Notifications} of one store: listeners over the dialect's LISTEN, channels named per store. */
final class NotificationsImpl implements Notifications {
  private static final int MAX_CHANNEL = 63;

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
    String name = (qualifiedPrefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + topic);
    if (!Character.isLetter(name.charAt(0)) && name.charAt(0) != '_') {
      name = "_" + name;
    }
    if (name.length() > MAX_CHANNEL) {
      name = "fabula_" + topic + "_" + Integer.toHexString(qualifiedPrefix.hashCode());
    }
    return name;
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
