package io.tarn.server.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header row, then rows, columns separated by two spaces and padded to their
 * widest cell (numbers right-aligned), no trailing blanks. Widths count chars, which is right for
 * the ASCII that names, ids and times are made of.
 */
public final class Table {
  private final List<String> headers;
  private final boolean[] right;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
    this.right = new boolean[headers.length];
  }

  /** Right-aligns the given columns (counts, sizes). */
  public Table alignRight(int... columns) {
    for (int c : columns) {
      right[c] = true;
    }
    return this;
  }

  public Table row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
    }
    rows.add(Arrays.stream(cells).map(c -> c == null ? "" : c).toList());
    return this;
  }

  public int size() {
    return rows.size();
  }

  public String render() {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, headers, widths);
    rows.forEach(row -> appendRow(sb, row, widths));
    return sb.toString();
  }

  private void appendRow(StringBuilder sb, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        line.append("  ");
      }
      String cell = cells.get(c);
      line.append(right[c] ? " ".repeat(widths[c] - cell.length()) + cell : pad(cell, widths[c]));
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
