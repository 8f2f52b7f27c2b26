// Compiles the Sass and copies the GOV.UK and MOJ scripts and assets into build/ (not committed).
import { cpSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "build");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const result = sass.compile(join(here, "scss", "app.scss"), {
  loadPaths: [here],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
  logger: sass.Logger.silent,
});
writeFileSync(join(out, "app.css"), result.css);

const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");
const moj = join(here, "node_modules", "@ministryofjustice", "frontend", "moj");
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(moj, "moj-frontend.min.js"), join(out, "govuk", "moj-frontend.min.js"));
cpSync(join(govuk, "assets", "images", "favicon.ico"), join(out, "govuk", "assets", "images", "favicon.ico"));
cpSync(join(govuk, "assets", "images", "favicon.svg"), join(out, "govuk", "assets", "images", "favicon.svg"));
cpSync(join(here, "js"), join(out, "js"), { recursive: true });
console.log(`front end built: ${result.css.length} bytes of CSS`);
