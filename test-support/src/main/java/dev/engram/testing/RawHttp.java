package dev.engram.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a bare socket, for what HTTP clients will not send: a request that declares a body
 * (with {@code Expect: 100-continue}) and waits for the answer before sending any of it.
 */
public final class RawHttp {

  /** A response read until the server closed the connection. */
  public record Reply(int status, String head, String body) {

    /** The value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private RawHttp() {}

  /**
   * POSTs to {@code path} of {@code base} declaring a JSON body of {@code length} bytes, sends none
   * of it, and returns what the server answered until it closed the connection, or within 10 s (a
   * server that answers 100 Continue and waits for the body gives that).
   */
  public static Reply declareBody(URI base, String path, String token, long length) {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\n"
                  + "Host: "
                  + base.getHost()
                  + "\r\n"
                  + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                  + "Content-Type: application/json\r\n"
                  + "Content-Length: "
                  + length
                  + "\r\n"
                  + "Expect: 100-continue\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = read(socket.getInputStream());
      int split = response.indexOf("\r\n\r\n");
      String head = split < 0 ? response : response.substring(0, split);
      String body = split < 0 ? "" : response.substring(split + 4);
      String[] statusLine = head.split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].toUpperCase(Locale.ROOT).startsWith("HTTP/")) {
        throw new IllegalStateException("not an HTTP response: " + response);
      }
      return new Reply(Integer.parseInt(statusLine[1]), head, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The response: its head and as much body as its Content-Length says (or up to the close), or
   * whatever came within the socket's timeout.
   */
  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        bytes.write(buffer, 0, n);
        String sofar = bytes.toString(StandardCharsets.UTF_8);
        int split = sofar.indexOf("\r\n\r\n");
        if (split >= 0) {
          Reply head = new Reply(0, sofar.substring(0, split), "");
          String length = head.header("Content-Length");
          if (length != null
              && bytes.size() - (split + 4) >= Integer.parseInt(length)
              && !head.head().startsWith("HTTP/1.1 100")) {
            break;
          }
        }
      }
    } catch (SocketTimeoutException e) {
      // still open: what came so far is the answer (100 Continue, say)
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
