package dev.engram.memory.index;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The binary form of a user's vectors in Redis: a header (magic, format, L2 version, dimensions,
 * rows, the model's tag), each column in turn, then the lexical part (the dictionary: count, then
 * each lexeme as a length and its UTF-8 bytes; each row's packed terms: count, then the terms),
 * little-endian. A blob of an earlier format, or of another embedding model (a blob cached before
 * the model changed: its vectors cannot be compared with this model's queries), decodes as nothing,
 * so the user is reloaded from the database. Also the float32 form of one embedding in PostgreSQL.
 */
public final class VectorCodec {

  private static final int MAGIC = 0x454e4756; // "ENGV"
  private static final int FORMAT = 3;
  private static final int HEADER = 4 + 4 + 8 + 4 + 4 + 4;
  private static final int ROW_BYTES_WITHOUT_VECTOR = 8 + 8 + 1 + 1 + 8 + 8 + 8;

  private VectorCodec() {}

  /** The tag of a model in a blob's header. */
  public static int modelTag(String modelId) {
    return modelId.hashCode();
  }

  static byte[] encode(UserVectors v, int model) {
    int n = v.rowCount();
    int dim = v.dimension();
    int lexemeCount = v.termCount();
    byte[][] lexemes = new byte[lexemeCount][];
    long lexicalBytes = 4 + 4L * n;
    for (int i = 0; i < lexemeCount; i++) {
      lexemes[i] = v.lexemes()[i].getBytes(StandardCharsets.UTF_8);
      lexicalBytes += 2 + lexemes[i].length;
    }
    int[][] terms = v.terms();
    for (int row = 0; row < n; row++) {
      lexicalBytes += terms[row] == null ? 0 : 4L * terms[row].length;
    }
    ByteBuffer out =
        ByteBuffer.allocate(
                Math.toIntExact(
                    HEADER + (long) n * (ROW_BYTES_WITHOUT_VECTOR + dim * 4) + lexicalBytes))
            .order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC).putInt(FORMAT).putLong(v.version()).putInt(dim).putInt(n).putInt(model);
    out.asFloatBuffer().put(v.vectors(), 0, n * dim);
    out.position(out.position() + n * dim * 4);
    putLongs(out, v.idHi(), n);
    putLongs(out, v.idLo(), n);
    out.put(v.types(), 0, n);
    out.put(v.states(), 0, n);
    putLongs(out, v.occurred(), n);
    putLongs(out, v.sessionHi(), n);
    putLongs(out, v.sessionLo(), n);
    out.putInt(lexemeCount);
    for (byte[] lexeme : lexemes) {
      out.putShort((short) lexeme.length).put(lexeme);
    }
    for (int row = 0; row < n; row++) {
      int[] rowTerms = terms[row] == null ? new int[0] : terms[row];
      out.putInt(rowTerms.length);
      out.asIntBuffer().put(rowTerms);
      out.position(out.position() + rowTerms.length * 4);
    }
    return out.array();
  }

  /**
   * Decodes what {@link #encode} wrote, or returns null for bytes of another shape or of a model
   * other than {@code expectedModel}.
   */
  public static UserVectors decode(byte[] bytes, int expectedDim, int expectedModel) {
    if (bytes == null || bytes.length < HEADER) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (in.getInt() != MAGIC || in.getInt() != FORMAT) {
      return null;
    }
    long version = in.getLong();
    int dim = in.getInt();
    int n = in.getInt();
    int model = in.getInt();
    if (dim != expectedDim
        || model != expectedModel
        || n < 0
        || bytes.length < HEADER + (long) n * (ROW_BYTES_WITHOUT_VECTOR + dim * 4) + 4 + 4L * n) {
      return null;
    }
    float[] vectors = new float[n * dim];
    in.asFloatBuffer().get(vectors);
    in.position(in.position() + n * dim * 4);
    long[] idHi = getLongs(in, n);
    long[] idLo = getLongs(in, n);
    byte[] types = new byte[n];
    in.get(types);
    byte[] states = new byte[n];
    in.get(states);
    long[] occurred = getLongs(in, n);
    long[] sessionHi = getLongs(in, n);
    long[] sessionLo = getLongs(in, n);
    try {
      String[] lexemes = new String[in.getInt()];
      for (int i = 0; i < lexemes.length; i++) {
        byte[] lexeme = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(lexeme);
        lexemes[i] = new String(lexeme, StandardCharsets.UTF_8);
      }
      int[][] terms = new int[n][];
      for (int row = 0; row < n; row++) {
        int[] rowTerms = new int[in.getInt()];
        in.asIntBuffer().get(rowTerms);
        in.position(in.position() + rowTerms.length * 4);
        for (int packed : rowTerms) {
          if (packed >>> UserVectors.TF_BITS >= lexemes.length) {
            return null;
          }
        }
        terms[row] = rowTerms.length == 0 ? null : rowTerms;
      }
      if (in.hasRemaining()) {
        return null;
      }
      UserVectors v = new UserVectors(dim, n, version);
      v.load(n, vectors, idHi, idLo, types, states, occurred, sessionHi, sessionLo, terms, lexemes);
      return v;
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      return null; // truncated or not ours
    }
  }

  /** The version stored in an encoded blob, or -1. */
  public static long version(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER) {
      return -1;
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
  }

  /** One embedding as little-endian float32 bytes (the {@code memory.embedding} column). */
  public static byte[] toBytes(float[] vector) {
    ByteBuffer out = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    out.asFloatBuffer().put(vector);
    return out.array();
  }

  /** The inverse of {@link #toBytes}. */
  public static float[] fromBytes(byte[] bytes) {
    float[] vector = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }

  private static void putLongs(ByteBuffer out, long[] values, int n) {
    out.asLongBuffer().put(values, 0, n);
    out.position(out.position() + n * 8);
  }

  private static long[] getLongs(ByteBuffer in, int n) {
    long[] values = new long[n];
    in.asLongBuffer().get(values);
    in.position(in.position() + n * 8);
    return values;
  }
}
