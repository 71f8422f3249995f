package toro.studio.gdbmi.mi;

/** A c-string constant, already unescaped. */
public record MiConst(String value) implements MiValue {
	@Override
	public String toString() {
		return value;
	}
}
