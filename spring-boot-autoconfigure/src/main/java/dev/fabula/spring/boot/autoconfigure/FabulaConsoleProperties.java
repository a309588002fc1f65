package dev.fabula.spring.boot.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code fabula.console.*} properties: whether the admin console is served (off unless
 * enabled), where, and who may use it. Unset values keep {@code ConsoleConfig.DEFAULT}.
 */
@ConfigurationProperties("fabula.console")
public class FabulaConsoleProperties {
  /** Whether the admin console is served (default false). On the management server when one is configured. */
  private boolean enabled;
  /** The path the console is mounted at (default /console). */
  private @Nullable String basePath;
  /** Whether every action is refused, whatever the user's permissions (default false). */
  private @Nullable Boolean readOnly;
  /** Rows per page of a list, 1 to 500 (default 50). */
  private @Nullable Integer pageSize;
  /** How long a signed-in session lasts without a request (default 30 minutes). */
  private @Nullable Duration sessionIdle;
  /** Whether the session cookie is marked Secure (default false; set it behind HTTPS). */
  private @Nullable Boolean secureCookie;
  /**
   * Without Spring Security: the shared token that signs in (at least 16 characters; required
   * then). Whoever has it may take every action unless read-only is set.
   */
  private @Nullable String token;
  /** Without Spring Security: the name the token's user is audited under (default "operator"). */
  private String tokenUser = "operator";
  /** With Spring Security: the authority that may read the console and take every action. */
  private String operatorAuthority = "ROLE_FABULA_OPERATOR";
  /** With Spring Security: the authority that may read the console and take no action. */
  private String readerAuthority = "ROLE_FABULA_READER";

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getBasePath() {
    return basePath;
  }

  public void setBasePath(@Nullable String basePath) {
    this.basePath = basePath;
  }

  public @Nullable Boolean getReadOnly() {
    return readOnly;
  }

  public void setReadOnly(@Nullable Boolean readOnly) {
    this.readOnly = readOnly;
  }

  public @Nullable Integer getPageSize() {
    return pageSize;
  }

  public void setPageSize(@Nullable Integer pageSize) {
    this.pageSize = pageSize;
  }

  public @Nullable Duration getSessionIdle() {
    return sessionIdle;
  }

  public void setSessionIdle(@Nullable Duration sessionIdle) {
    this.sessionIdle = sessionIdle;
  }

  public @Nullable Boolean getSecureCookie() {
    return secureCookie;
  }

  public void setSecureCookie(@Nullable Boolean secureCookie) {
    this.secureCookie = secureCookie;
  }

  public @Nullable String getToken() {
    return token;
  }

  public void setToken(@Nullable String token) {
    this.token = token;
  }

  public String getTokenUser() {
    return tokenUser;
  }

  public void setTokenUser(String tokenUser) {
    this.tokenUser = tokenUser;
  }

  public String getOperatorAuthority() {
    return operatorAuthority;
  }

  public void setOperatorAuthority(String operatorAuthority) {
    this.operatorAuthority = operatorAuthority;
  }

  public String getReaderAuthority() {
    return readerAuthority;
  }

  public void setReaderAuthority(String readerAuthority) {
    this.readerAuthority = readerAuthority;
  }
}
