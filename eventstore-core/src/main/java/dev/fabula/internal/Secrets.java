package dev.fabula.internal;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Masks credentials in text that names a database: the one helper every message and log line that
 * shows a URL goes through. It masks the password of a URL's user info ({@code
 * postgres://app:S3CRET@db/app}, {@code jdbc:postgresql://app:S3CRET@db/app}) and the value of every
 * key that names a secret ({@code password}, {@code sslpassword}, {@code pwd}, {@code passwd},
 * {@code secret} and keys ending in them), in query form ({@code ?password=x&}), JDBC property form
 * ({@code ;password=x;}), key-value form ({@code password='x y'}) and property-list form ({@code
 * password: x}, {@code {password=x, user=app}}), whatever the case. Percent-encode a password's
 * {@code / ? # @} characters in a URL, as URLs require: an unencoded one ends the user info early.
 * Stateless.
 */
public final class Secrets {
  /** The mask that replaces a secret. */
  public static final String MASK = "***";

  private static final Pattern USER_INFO = Pattern.compile("(//[^:/?#@\\s]*:)[^/?#\\s]*@");
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)([\\w.-]*(?:password|passwd|pwd|secret)\\s*[=:]\\s*)('[^']*'?|\"[^\"]*\"?|[^&;\\s,}]*)");

  private Secrets() {}

  /** {@code text} with every credential it holds replaced by {@link #MASK}; null stays null. */
  public static @Nullable String mask(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String masked = USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
    return KEY_VALUE.matcher(masked).replaceAll("$1" + MASK);
  }

  /** Whether a URL carries a password in its user info ({@code scheme://user:password@host}). */
  public static boolean hasUserInfoPassword(String url) {
    return USER_INFO.matcher(url).find();
  }
}
