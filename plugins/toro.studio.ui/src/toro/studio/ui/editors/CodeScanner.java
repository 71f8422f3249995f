package toro.studio.ui.editors;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.jface.text.TextAttribute;
import org.eclipse.jface.text.rules.EndOfLineRule;
import org.eclipse.jface.text.rules.IRule;
import org.eclipse.jface.text.rules.IToken;
import org.eclipse.jface.text.rules.IWordDetector;
import org.eclipse.jface.text.rules.MultiLineRule;
import org.eclipse.jface.text.rules.NumberRule;
import org.eclipse.jface.text.rules.RuleBasedScanner;
import org.eclipse.jface.text.rules.SingleLineRule;
import org.eclipse.jface.text.rules.Token;
import org.eclipse.jface.text.rules.WhitespaceRule;
import org.eclipse.jface.text.rules.WordRule;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;

/**
 * A rule-based colouring scanner for a source language: comments, strings,
 * numbers, and up to three kinds of words (e.g. instructions, registers and
 * directives for NASM; keywords, types and preprocessor words for C).
 */
final class CodeScanner extends RuleBasedScanner {
	/** The words of a language and how it writes comments. */
	record Language(String lineComment, boolean blockComments, String preprocessorPrefix, boolean ignoreCase,
			Set<String> keywords, Set<String> names, Set<String> directives) {
	}

	private static final IToken COMMENT = token(63, 127, 95, SWT.ITALIC);
	private static final IToken STRING = token(42, 0, 255, SWT.NORMAL);
	private static final IToken NUMBER = token(125, 80, 0, SWT.NORMAL);
	private static final IToken KEYWORD = token(127, 0, 85, SWT.BOLD);
	private static final IToken NAME = token(0, 100, 130, SWT.NORMAL);
	private static final IToken DIRECTIVE = token(100, 60, 160, SWT.BOLD);

	CodeScanner(Language lang) {
		List<IRule> rules = new ArrayList<>();
		rules.add(new WhitespaceRule(Character::isWhitespace));
		rules.add(new EndOfLineRule(lang.lineComment(), COMMENT));
		if (lang.blockComments())
			rules.add(new MultiLineRule("/*", "*/", COMMENT, (char) 0, true));
		if (lang.preprocessorPrefix() != null)
			rules.add(new EndOfLineRule(lang.preprocessorPrefix(), DIRECTIVE));
		rules.add(new SingleLineRule("\"", "\"", STRING, '\\'));
		rules.add(new SingleLineRule("'", "'", STRING, '\\'));
		rules.add(new NumberRule(NUMBER));
		WordRule words = new WordRule(new Words(), Token.UNDEFINED, lang.ignoreCase());
		lang.keywords().forEach(w -> words.addWord(w, KEYWORD));
		lang.names().forEach(w -> words.addWord(w, NAME));
		lang.directives().forEach(w -> words.addWord(w, DIRECTIVE));
		rules.add(words);
		setRules(rules.toArray(IRule[]::new));
	}

	private static IToken token(int r, int g, int b, int style) {
		return new Token(new TextAttribute(new Color(r, g, b), null, style));
	}

	/** Identifiers, including NASM's local labels (.x) and directives (%define). */
	private static final class Words implements IWordDetector {
		@Override
		public boolean isWordStart(char c) {
			return Character.isLetter(c) || c == '_' || c == '.' || c == '%';
		}

		@Override
		public boolean isWordPart(char c) {
			return Character.isLetterOrDigit(c) || c == '_' || c == '.';
		}
	}
}
