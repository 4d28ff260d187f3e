package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Browser;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.console.SignInPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guessing secrets at the console's sign-in is slowed down, and the page says so in words. A class
 * (and server) of its own: the throttle counts per client address, which every test here shares.
 */
class ConsoleSignInThrottleTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

  @Test
  void repeatedWrongSecretsAreToldWhenToTryAgain() {
    SignInPage signIn = SignInPage.open(browser, TARN.endpoint());
    String message = "";
    // A few failures are free; after them each one closes sign-in for a growing while (429).
    for (int attempt = 0; attempt < 15 && !message.contains("try again in"); attempt++) {
      message = signIn.signInExpectingError(TARN.accessKey(), "wrong-secret-" + attempt);
      assertTrue(message.contains("not right") || message.contains("try again in"), message);
    }
    assertTrue(message.contains("try again in"), "never throttled; last message: " + message);
  }
}
