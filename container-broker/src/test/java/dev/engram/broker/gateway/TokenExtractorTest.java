package dev.engram.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.broker.testing.WsClient;
import org.junit.jupiter.api.Test;

/** The token a browser carries in a WebSocket subprotocol. */
class TokenExtractorTest {

  @Test
  void findsTheTokenTheWebUiEncodesIntoASubprotocol() {
    String offered = "bearer-token-carrier, " + WsClient.carrier("abc.def-_.ghi");
    assertThat(TokenExtractor.fromSubprotocols(offered)).hasValue("abc.def-_.ghi");
  }

  @Test
  void acceptsTheCarrierUnencodedAndIgnoresOtherHeadersAndProtocols() {
    assertThat(
            TokenExtractor.fromSubprotocols(
                "quarkus-http-upgrade#X-Other#v,quarkus-http-upgrade#authorization#bearer t1"))
        .hasValue("t1");
    assertThat(TokenExtractor.fromSubprotocols("bearer-token-carrier")).isEmpty();
    assertThat(TokenExtractor.fromSubprotocols("quarkus-http-upgrade#Authorization#Basic x"))
        .isEmpty();
    assertThat(TokenExtractor.fromSubprotocols("quarkus-http-upgrade%ZZ")).isEmpty();
    assertThat(TokenExtractor.fromSubprotocols(null)).isEmpty();
  }

  @Test
  void carriersAreRecognisedEncodedOrNot() {
    assertThat(TokenExtractor.isCarrier(WsClient.carrier("t"))).isTrue();
    assertThat(TokenExtractor.isCarrier("quarkus-http-upgrade#Authorization#Bearer t")).isTrue();
    assertThat(TokenExtractor.isCarrier("bearer-token-carrier")).isFalse();
  }
}
