package dev.fabula;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.internal.Secrets;
import org.junit.jupiter.api.Test;

/** The one masking helper, on every form a URL or connection string puts a secret in. */
class SecretsTest {

  private static void assertMasked(String text) {
    String masked = Secrets.mask(text);
    assertThat(masked).as(text).doesNotContain("S3CRET").contains(Secrets.MASK);
  }

  @Test
  void masks_the_password_of_a_urls_user_info() {
    assertThat(Secrets.mask("postgres://app:S3CRET@db:5432/app")).isEqualTo("postgres://app:***@db:5432/app");
    assertThat(Secrets.mask("jdbc:postgresql://app:S3CRET@db/app?ssl=true"))
        .isEqualTo("jdbc:postgresql://app:***@db/app?ssl=true");
    assertMasked("error: 'postgresql://app:S3CRET@db' is not a JDBC URL");
    assertMasked("mysql://root:S3@CRET@db/app");
  }

  @Test
  void masks_password_keys_in_query_property_and_key_value_forms_whatever_the_case() {
    assertThat(Secrets.mask("jdbc:postgresql://db/app?user=app&password=S3CRET&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/app?user=app&password=***&ssl=true");
    assertMasked("jdbc:postgresql://db/app?user=app&PassWord=S3CRET");
    assertMasked("jdbc:postgresql://db/app?sslmode=verify-full&sslpassword=S3CRET");
    assertMasked("jdbc:postgresql://db/app?SSLPASSWORD=S3CRET&user=app");
    assertMasked("jdbc:sqlserver://db;user=app;password=S3CRET;encrypt=true");
    assertMasked("host=db user=app password=S3CRET dbname=app");
    assertMasked("host=db password='S3CRET and more' dbname=app");
    assertMasked("{user=app, password=S3CRET}");
    assertMasked("password: S3CRET");
    assertMasked("jdbc:mysql://db/app?pwd=S3CRET");
    assertMasked("ssl.key.password=S3CRET");
  }

  @Test
  void leaves_text_without_secrets_alone() {
    String url = "jdbc:postgresql://db:5432/app?user=app&ssl=true";
    assertThat(Secrets.mask(url)).isEqualTo(url);
    assertThat(Secrets.mask("jdbc:sqlite:data/app.db")).isEqualTo("jdbc:sqlite:data/app.db");
    assertThat(Secrets.mask(null)).isNull();
  }
}
