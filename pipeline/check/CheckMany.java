// Runs EPUBCheck on many books in one JVM (EPUBCheck's own command line takes one book per start-up).
// Usage: java -cp epubcheck.jar:lib/* CheckMany.java book.epub ...
// Prints one line per book: "RESULT <fatals> <errors> <warnings> <path>", after EPUBCheck's own messages.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class CheckMany {
    public static void main(String[] args) {
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).doValidate();
            System.err.println("RESULT " + report.getFatalErrorCount() + " " + report.getErrorCount() + " "
                    + report.getWarningCount() + " " + path);
        }
    }
}
