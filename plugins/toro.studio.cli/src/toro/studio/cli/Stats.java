package toro.studio.cli;

import java.util.ArrayList;
import java.util.List;

/** The statistics the benchmarks report. */
final class Stats {
	private Stats() {
	}

	/** @return the median of {@code xs} (the mean of the middle two for an even count); xs not empty */
	static double median(List<Double> xs) {
		List<Double> s = new ArrayList<>(xs);
		s.sort(null);
		int n = s.size();
		return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
	}
}
