package dev.fabula.console.internal;

import dev.fabula.console.AuditEntry;
import dev.fabula.console.Console;
import dev.fabula.console.ConsoleAuthenticator;
import dev.fabula.console.ConsoleConfig;
import dev.fabula.console.ConsoleRequest;
import dev.fabula.console.ConsoleResponse;
import dev.fabula.console.ConsoleUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's front door: every request passes here in this order.
 *
 * <ol>
 *   <li>the path must lie under the base path, else 404;
 *   <li>the session is found or created (its cookie carries only a random id);
 *   <li>sign-in and sign-out are answered (both CSRF-checked POSTs);
 *   <li>the user comes from the session, else from the authenticator; none: sign-in page (GET) or
 *       401 (POST);
 *   <li>a GET renders a section's page; a POST must carry the session's CSRF token, name an action
 *       the console is not read-only for and the user may take, and is then run, audited and
 *       answered with a redirect (post/redirect/get).
 * </ol>
 *
 * Every response carries the security headers of {@link Responses}.
 */
final class ConsoleImpl implements Console {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleImpl.class);
  static final String COOKIE = "fabula_console";

  private final ConsoleConfig config;
  private final ConsoleAuthenticator authenticator;
  private final List<Section> sections;
  private final AuditLog audit;
  private final List<Consumer<AuditEntry>> listeners;
  private final Sessions sessions;
  private final Responses responses;

  ConsoleImpl(ConsoleConfig config, ConsoleAuthenticator authenticator, List<Section> sections, AuditLog audit,
      List<Consumer<AuditEntry>> listeners) {
    this.config = config;
    this.authenticator = authenticator;
    this.sections = List.copyOf(sections);
    this.audit = audit;
    this.listeners = List.copyOf(listeners);
    this.sessions = new Sessions(config.sessionIdle());
    this.responses = new Responses(config);
  }

  @Override
  public ConsoleConfig config() {
    return config;
  }

  @Override
  public List<AuditEntry> audit(long beforeId, int limit) {
    return audit.page(beforeId, limit, config.tenantId());
  }

  @Override
  public ConsoleResponse handle(ConsoleRequest request) {
    String base = config.basePath();
    String path = request.path();
    if (!path.equals(base) && !path.startsWith(base + "/")) {
      return responses.plain(404, "Not found");
    }
    List<String> segments = new ArrayList<>(Arrays.stream(path.substring(base.length()).split("/"))
        .filter(s -> !s.isEmpty()).toList());
    if (segments.equals(List.of("console.css"))) {
      return responses.css(Layout.CSS);
    }
    boolean post = request.method().equals("POST");
    if (!post && !request.method().equals("GET") && !request.method().equals("HEAD")) {
      return responses.plain(405, "Method not allowed");
    }
    Sessions.Session session = sessions.find(request.cookie(COOKIE).orElse(null));
    boolean fresh = session == null;
    if (fresh) {
      session = sessions.create();
    }
    try {
      ConsoleResponse response = route(request, segments, post, session);
      return fresh && !response.headers().containsKey("Set-Cookie") ? responses.withCookie(response, session) : response;
    } catch (Section.Rejected e) {
      return responses.withCookie(responses.plain(e.status, e.getMessage()), session);
    } catch (RuntimeException e) {
      LOG.error("the console failed to answer {} {}", request.method(), path, e);
      return responses.withCookie(responses.plain(500, "The console failed to answer; the server's log has the error."),
          session);
    }
  }

  private ConsoleResponse route(ConsoleRequest request, List<String> segments, boolean post, Sessions.Session session) {
    if (segments.equals(List.of("sign-in"))) {
      return post ? signIn(request, session) : responses.html(200, Layout.signIn(config, session.csrf, authenticator.offersSignIn(), null));
    }
    if (post && !csrfMatches(request, session)) {
      LOG.warn("console: refused a POST to {} without the session's CSRF token", request.path());
      return responses.plain(403, "Refused: the form's CSRF token is missing or stale. Reload the page and try again.");
    }
    if (post && segments.equals(List.of("sign-out"))) {
      sessions.remove(session);
      return responses.withCookie(responses.redirect(config.basePath() + "/sign-in"), sessions.create());
    }
    ConsoleUser user = session.user;
    if (user == null) {
      user = authenticator.authenticate(request).orElse(null);
    }
    if (user == null) {
      return post ? responses.plain(401, "Sign in first.") : responses.redirect(config.basePath() + "/sign-in");
    }
    RequestContext ctx = new RequestContext(request, config, user, session.csrf);
    if (segments.isEmpty()) {
      return responses.html(200, Layout.page(ctx, sections, takeFlash(session), Overview.render(ctx, sections)));
    }
    if (!post && segments.equals(List.of("audit"))) {
      return responses.html(200, Layout.page(ctx, sections, takeFlash(session), AuditPage.render(ctx, audit)));
    }
    Section section = sections.stream().filter(s -> s.segment().equals(segments.get(0))).findFirst().orElse(null);
    if (section == null) {
      return responses.plain(404, "Not found");
    }
    List<String> rest = segments.subList(1, segments.size());
    if (!post) {
      Section.Page page = section.get(ctx, rest);
      return page == null ? responses.plain(404, "Not found")
          : responses.html(200, Layout.page(ctx, sections, takeFlash(session), page));
    }
    Section.Action action = section.post(ctx, rest);
    if (action == null) {
      return responses.plain(404, "Not found");
    }
    if (!ctx.may(action.action())) {
      String why = config.readOnly() ? "this console is read-only"
          : !user.may(action.action()) ? user.name() + " may not " + action.action()
          : "this console shows one tenant; " + action.action() + " concerns every tenant";
      LOG.warn("console: refused {} on {} for {}: {}", action.action(), action.target(), user.name(), why);
      return responses.plain(403, "Refused: " + why + ".");
    }
    session.flash = run(ctx, action);
    return responses.redirect(config.basePath() + action.then());
  }

  /** Runs an action, audits it (also when it fails) and returns the message for the next page. */
  private String run(RequestContext ctx, Section.Action action) {
    String outcome;
    try {
      outcome = action.work().get() ? "done" : "no change";
    } catch (RuntimeException e) {
      LOG.warn("console: {} on {} by {} failed", action.action(), action.target(), ctx.user().name(), e);
      outcome = "failed: " + e.getMessage();
    }
    AuditEntry entry = audit.record(ctx.user().name(), action.action(), action.target(), config.tenantId(), outcome);
    for (Consumer<AuditEntry> listener : listeners) {
      try {
        listener.accept(entry);
      } catch (RuntimeException e) {
        LOG.error("console: an audit listener failed on entry {}", entry.id(), e);
      }
    }
    return action.action() + " " + action.target() + ": " + outcome;
  }

  private ConsoleResponse signIn(ConsoleRequest request, Sessions.Session session) {
    if (!csrfMatches(request, session)) {
      return responses.html(403, Layout.signIn(config, session.csrf, true, "The form was stale; try again."));
    }
    Optional<ConsoleUser> user = authenticator.offersSignIn()
        ? authenticator.signIn(request.form().getOrDefault("token", "")) : Optional.empty();
    if (user.isEmpty()) {
      LOG.warn("console: a sign-in was refused");
      return responses.html(401, Layout.signIn(config, session.csrf, authenticator.offersSignIn(), "That token is not valid."));
    }
    sessions.remove(session);
    Sessions.Session signedIn = sessions.create();
    signedIn.user = user.get();
    LOG.info("console: {} signed in", user.get().name());
    return responses.withCookie(responses.redirect(config.basePath() + "/"), signedIn);
  }

  private static boolean csrfMatches(ConsoleRequest request, Sessions.Session session) {
    String sent = request.form().get("csrf");
    return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        session.csrf.getBytes(StandardCharsets.UTF_8));
  }

  private static @Nullable String takeFlash(Sessions.Session session) {
    String flash = session.flash;
    session.flash = null;
    return flash;
  }
}
