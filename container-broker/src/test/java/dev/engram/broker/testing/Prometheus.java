package dev.engram.broker.testing;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the running broker's metrics as Prometheus scrapes them ({@code /q/metrics}). */
public final class Prometheus {

  private Prometheus() {}

  /**
   * The sum of the samples of the series {@code name} whose labels contain {@code label} (every
   * sample when {@code label} is empty; 0 when there is none).
   */
  public static double sum(String name, String label) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+|NaN)$")
            .matcher(text);
    double sum = 0;
    while (m.find()) {
      if (label.isEmpty() || (m.group(1) != null && m.group(1).contains(label))) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
