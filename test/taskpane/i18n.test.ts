/** The pane's language helpers: every language choice goes through inLang, these name the common ones. */
import { htmlLang, joinList, otherLang, withPeople } from "../../src/taskpane/i18n";

test("lists join with each language's separator", () => {
  expect(joinList(["品质部经理", "副总裁"], "zh")).toBe("品质部经理、副总裁");
  expect(joinList(["Quality manager", "VP"], "en")).toBe("Quality manager, VP");
  expect(joinList([], "zh")).toBe("");
});

test("a role with the people who hold it, none: the role alone", () => {
  expect(withPeople("品质部经理", ["王工", "李工"], "zh")).toBe("品质部经理(王工、李工)");
  expect(withPeople("Quality manager", ["Wang", "Li"], "en")).toBe("Quality manager (Wang, Li)");
  expect(withPeople("副总裁", [], "zh")).toBe("副总裁");
});

test("the other language and the HTML lang attribute", () => {
  expect(otherLang("zh")).toBe("en");
  expect(otherLang("en")).toBe("zh");
  expect(htmlLang("zh")).toBe("zh-CN");
  expect(htmlLang("en")).toBe("en");
});
