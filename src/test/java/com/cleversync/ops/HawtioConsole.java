package com.cleversync.ops;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Hawtio at {@code /actuator/hawtio} as an operator uses it, in Debian's headless chromium through
 * its chromedriver (.ci/run installs both; without them the browser test fails in CI and is skipped
 * elsewhere). Screenshots go to {@code target/screenshots/}; the README shows copies from
 * {@code src/site/images/}.
 */
final class HawtioConsole implements AutoCloseable {
    // Debian's packages by default; CHROME_BIN and CHROMEDRIVER name others (the GitHub workflow's Chrome)
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROME_BIN", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final String base;
    private final ChromeDriver browser;
    private final WebDriverWait wait;

    private HawtioConsole(String base, ChromeDriver browser) {
        this.base = base;
        this.browser = browser;
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    static HawtioConsole open(String base) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true but chromium or chromium-driver is not installed (.ci/run installs them)");
            }
            Assumptions.assumeTrue(false, "chromium and chromium-driver not installed: browser test skipped");
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new HawtioConsole(base, new ChromeDriver(service, options));
    }

    /** Opens Hawtio, is sent to the login form, and logs in. */
    void logIn(String user, String password) {
        browser.get(base + "/actuator/hawtio/");
        wait.until(ExpectedConditions.urlToBe(base + "/login"));
        browser.findElement(By.name("username")).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/actuator/hawtio/"));
    }

    /** The Camel plugin's routes page; answers the route ids shown in its tree. */
    List<String> camelRoutes() {
        browser.get(base + "/actuator/hawtio/camel/routes");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//th[normalize-space()='Completed']")));
        return browser.findElements(By.cssSelector(".pf-v6-c-tree-view__node-text")).stream()
                .map(WebElement::getText).toList();
    }

    /** The state the routes table shows for a route (Started, Suspended, Stopped), scrolled into view. */
    String routeState(String routeId) {
        By state = By.xpath("//tr[td[normalize-space()='" + routeId + "']]/td[3]"); // after the checkbox and the name
        WebElement cell = wait.until(ExpectedConditions.presenceOfElementLocated(state));
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", cell);
        return wait.until(ExpectedConditions.visibilityOf(cell)).getText();
    }

    /** Selects the route in the tree and executes one of its JMX operations from the Operations tab. */
    void invoke(String routeId, String operation) {
        camelRoutes();
        browser.findElement(By.xpath("//*[contains(@class,'tree-view__node-text')][normalize-space()='" + routeId + "']"))
                .click();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//a[normalize-space()='Operations']"))).click();
        By toggle = By.cssSelector("button[aria-labelledby^='operation " + operation + " ']");
        wait.until(ExpectedConditions.elementToBeClickable(toggle)).click();
        wait.until(ExpectedConditions.attributeToBe(toggle, "aria-expanded", "true"));
        WebElement execute = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("section[id='operation-execute-" + operation + "'] button[type=submit]")));
        // the list is still laying out the expanded operation: click where the button ends up
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", execute);
        wait.until(ExpectedConditions.elementToBeClickable(execute)).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.xpath("//li[section[@id='operation-execute-" + operation + "']]"), "Operation successful"));
    }

    /** Shows a JSON answer of the management API as the browser gets it, indented for reading. */
    void showJson(String path) {
        browser.get(base + path);
        browser.executeScript("const json = JSON.parse(document.body.innerText);"
                + "document.body.innerHTML = '<pre></pre>';"
                + "document.querySelector('pre').textContent = JSON.stringify(json, null, 2);");
    }

    Path screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() {
        browser.quit();
    }
}
