/** @jest-environment jsdom */
/**
 * The adoption screen: detection shown, the user's corrections reach the
 * plan that is written, nothing is written before confirmation, and a sheet
 * without a header is refused in both languages.
 */
import { FluentProvider } from "@fluentui/react-components";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { defaultPolicy } from "../../src/domain/policy/policy";
import type { AdoptPlan, SheetGrid } from "../../src/adoption/planner";
import type { Adopter } from "../../src/adoption/adopter";
import { Adopt } from "../../src/taskpane/ui/Adopt";
import { LangContext } from "../../src/taskpane/i18n";
import { NOW } from "./helpers";

class GridAdopter implements Adopter {
  applied: AdoptPlan[] = [];
  people: ({ name: string; roles: string[] }[] | undefined)[] = [];
  constructor(private readonly grids: Record<string, SheetGrid>) {}
  async sheets() {
    return Object.keys(this.grids);
  }
  async grid(sheet?: string) {
    return this.grids[sheet ?? Object.keys(this.grids)[0]];
  }
  async apply(plan: AdoptPlan, opts: { user: string; people?: { name: string; roles: string[] }[] }) {
    this.applied.push(plan);
    this.people.push(opts.people);
    return { backup: `备份 ${plan.sheet}`, cases: plan.table.rows.length };
  }
}

const ledgerGrid: SheetGrid = {
  name: "2025台账",
  values: [
    ["2025年客诉台账", null, null, null, null, null],
    ["单号", "日期", "客户", "产品", "问题描述", "跟单员"],
    ["A-1", "2025/3/5", "华为", "支架", "划伤", "王芳"],
    ["A-1", "3月6日", "中兴", "壳体", "裂纹", "李娜"],
    ["合计", null, null, null, null, null],
  ],
};
const notes: SheetGrid = { name: "说明", values: [["本工作簿用于记录客诉"], ["请勿删除"]] };

function show(adopter: Adopter, onDone = jest.fn()) {
  render(
    <LangContext.Provider value="zh">
      <FluentProvider>
        <Adopt adopter={adopter} policy={defaultPolicy()} user="王芳" now={() => NOW} onDone={onDone} />
      </FluentProvider>
    </LangContext.Provider>,
  );
  return onDone;
}

describe("adoption screen", () => {
  test("shows what was found; the user's mapping and renumbering are what gets written", async () => {
    const adopter = new GridAdopter({ "2025台账": ledgerGrid, 说明: notes });
    const onDone = show(adopter);
    await screen.findByText("案件 2");
    expect(screen.getByText("跳过 1 行(合计/备注/表头)")).toBeTruthy();
    expect((screen.getByRole("spinbutton") as HTMLInputElement).value).toBe("2");
    expect(adopter.applied).toEqual([]);

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("F 跟单员"), "owner");
    await user.click(screen.getByRole("checkbox", { name: /分配新单号/ }));
    await user.click(screen.getByRole("button", { name: "确认接管 2 条案件" }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ backup: "备份 2025台账", cases: 2 }));
    const plan = adopter.applied[0];
    expect(plan.columns[5]).toMatchObject({ key: "owner", how: "user" });
    expect(plan.renumbered).toEqual([{ row: 4, from: "A-1", to: "KS-2025-0001" }]);
  });

  test("history, generated numbers and the names found are shown; the roles given go to the People sheet", async () => {
    const grid: SheetGrid = {
      name: "记录表",
      values: [
        ["序号", "客户", "投诉日期", "产品型号", "不良描述", "处理人", "品质经理签核", "结案日期"],
        [1, "华为", "2024/3/5", "XH-1", "划伤", "王芳", "张伟 2024-03-06", "2024/3/9"],
        [2, "中兴", "2025/6/1", "XH-2", "裂纹", "李娜", null, null],
      ],
    };
    const adopter = new GridAdopter({ 记录表: grid });
    const onDone = show(adopter);
    await screen.findByText("已结案 1");
    expect(screen.getByText("已登记 1")).toBeTruthy();
    expect(screen.getByText(/其中历史已结案 1/)).toBeTruthy();
    expect(screen.getByText("生成单号 2")).toBeTruthy();
    // Why each column matched is shown.
    expect(screen.getByText(/^行序号\(2 个连续整数\)/)).toBeTruthy();
    expect((screen.getByLabelText("张伟 的角色") as HTMLSelectElement).value).toBe("QUALITY_MANAGER");

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("王芳 的角色"), "CQE");
    expect(adopter.applied).toEqual([]);
    await user.click(screen.getByRole("button", { name: "确认接管 2 条案件" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(adopter.people[0]).toEqual([
      { name: "张伟", roles: ["QUALITY_MANAGER"] },
      { name: "李娜", roles: [] },
      { name: "王芳", roles: ["CQE"] },
    ]);
  });

  test("a sheet without a header row is refused, with the reason in both languages", async () => {
    show(new GridAdopter({ 说明: notes }));
    await screen.findByText("无法接管此表");
    expect(screen.getByText(/找不到表头行/)).toBeTruthy();
    expect(screen.getByText(/No header row found/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /确认接管/ })).toBeNull();
  });
});
