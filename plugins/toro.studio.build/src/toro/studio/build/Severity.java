package toro.studio.build;

/** How bad a {@link Problem} is; the lower-case name is what the tools print. */
public enum Severity {
	ERROR, WARNING, NOTE;

	/** @return "error", "warning" or "note". */
	public String word() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}
}
