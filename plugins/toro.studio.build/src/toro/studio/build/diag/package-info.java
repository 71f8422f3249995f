/**
 * Parsers that turn gcc, clang, nasm and ld output into structured problems.
 */
package toro.studio.build.diag;
