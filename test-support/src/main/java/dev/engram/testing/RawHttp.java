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
 * (with {@code Expect: 100-continue}) and waits for the answer before sending any of it, or a
 * chunked body that stops as soon as the server answers.
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
      out.write(post(base, path, token, "Content-Length: " + length, true));
      out.flush();
      return reply(read(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * POSTs {@code body} to {@code path} of {@code base} as a chunked JSON body (no Content-Length),
   * 8 KiB a chunk, and returns the server's answer. Sending stops early when the server answers
   * before the body is complete (as it does past its size limit). With {@code expectContinue} the
   * request carries {@code Expect: 100-continue} and the body waits for the server's 100 Continue
   * (a final answer instead is returned as it is).
   */
  public static Reply sendChunked(
      URI base, String path, String token, byte[] body, boolean expectContinue) {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(post(base, path, token, "Transfer-Encoding: chunked", expectContinue));
      out.flush();
      if (expectContinue) {
        String interim = readHead(in);
        if (!interim.startsWith("HTTP/1.1 100")) {
          return reply(interim + read(in));
        }
      }
      boolean complete = true;
      for (int at = 0; at < body.length; at += CHUNK) {
        if (in.available() > 0) {
          complete = false; // answered already
          break;
        }
        int length = Math.min(CHUNK, body.length - at);
        try {
          out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(body, at, length);
          out.write(CRLF);
          out.flush();
        } catch (IOException closed) {
          complete = false; // the server answered and closed
          break;
        }
      }
      if (complete) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      return reply(read(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The head of a JSON POST whose body is framed by {@code framing} (a length or chunked). */
  private static byte[] post(
      URI base, String path, String token, String framing, boolean expectContinue) {
    return ("POST "
            + path
            + " HTTP/1.1\r\n"
            + "Host: "
            + base.getHost()
            + "\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "Content-Type: application/json\r\n"
            + framing
            + "\r\n"
            + (expectContinue ? "Expect: 100-continue\r\n" : "")
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static final int CHUNK = 8192;
  private static final byte[] CRLF = {'\r', '\n'};

  private static Reply reply(String response) {
    int split = response.indexOf("\r\n\r\n");
    String head = split < 0 ? response : response.substring(0, split);
    String body = split < 0 ? "" : response.substring(split + 4);
    String[] statusLine = head.split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].toUpperCase(Locale.ROOT).startsWith("HTTP/")) {
      throw new IllegalStateException("not an HTTP response: " + response);
    }
    Reply reply = new Reply(Integer.parseInt(statusLine[1]), head, body);
    return chunked(reply) ? new Reply(reply.status(), head, dechunk(body)) : reply;
  }

  private static boolean chunked(Reply head) {
    String encoding = head.header("Transfer-Encoding");
    return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
  }

  /** A chunked body's content (the sizes are of UTF-8 bytes; the bodies here are ASCII JSON). */
  private static String dechunk(String body) {
    StringBuilder content = new StringBuilder();
    int at = 0;
    while (at < body.length()) {
      int lineEnd = body.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      content.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return content.toString();
  }

  /** One response head, up to and including its blank line. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (!bytes.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      bytes.write(b);
    }
    return bytes.toString(StandardCharsets.US_ASCII);
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
        if (split >= 0 && !sofar.startsWith("HTTP/1.1 100")) {
          Reply head = new Reply(0, sofar.substring(0, split), "");
          String length = head.header("Content-Length");
          if (length != null && bytes.size() - (split + 4) >= Integer.parseInt(length)) {
            break;
          }
          if (chunked(head) && sofar.endsWith("\r\n0\r\n\r\n")) {
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
