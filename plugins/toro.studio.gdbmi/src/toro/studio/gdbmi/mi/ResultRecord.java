package toro.studio.gdbmi.mi;

/**
 * {@code [token]^class,results}: the answer to one command.
 *
 * @param token       the command's token, or {@link MiRecord#NO_TOKEN}
 * @param resultClass done, running, connected, error or exit
 * @param results     the named results, in order
 */
public record ResultRecord(long token, String resultClass, MiTuple results) implements MiRecord {
	/** @return whether this is {@code ^error}. */
	public boolean isError() {
		return resultClass.equals("error");
	}
}
