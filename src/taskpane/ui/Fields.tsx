/**
 * One input per schema field, chosen by the field's type: the intake form
 * and the case steps are both built from `CASE_FIELDS`, never from a
 * hand-written list of labels.
 */
import { Checkbox, Field, Input, Select, Textarea } from "@fluentui/react-components";
import type { Policy } from "../../domain/policy/policy";
import { vocabularyOf, type FieldDef } from "../../domain/schema";
import { Both, inLang, useLang, type Bilingual } from "../i18n";
import type { FormValue } from "../model";

export interface SchemaFieldProps {
  field: FieldDef;
  value: FormValue | undefined;
  onChange(value: FormValue): void;
  onBlur?(): void;
  policy: Policy;
  required?: boolean;
  error?: Bilingual;
  hint?: Bilingual;
  disabled?: boolean;
}

/** "客户 Customer" in the pane's language, the other one small after it. */
export function fieldLabel(field: FieldDef, lang: "zh" | "en"): string {
  return inLang(field, lang);
}

export function SchemaField({ field, value, onChange, onBlur, policy, required, error, hint, disabled }: SchemaFieldProps) {
  const lang = useLang();
  // Focus leaving for a button: that button's click comes next (a submit checks every field anyway). A message shown
  // now would push the button from under the pointer and swallow the click, so the check waits.
  const blur = onBlur
    ? (e: React.FocusEvent) => {
        const to = e.relatedTarget as HTMLElement | null;
        if (to && typeof to.closest === "function" && to.closest("button")) return;
        onBlur();
      }
    : undefined;
  const common = {
    validationState: error ? ("error" as const) : undefined,
    validationMessage: error ? <Both msg={error} /> : hint ? inLang(hint, lang) : undefined,
    required,
  };
  if (field.type === "bool") {
    return (
      <Field {...common} required={undefined}>
        <Checkbox
          name={field.key}
          checked={value === true}
          disabled={disabled}
          label={fieldLabel(field, lang)}
          onChange={(_, d) => onChange(d.checked === true)}
        />
      </Field>
    );
  }
  const label = fieldLabel(field, lang);
  const text = typeof value === "string" ? value : "";
  if (field.type === "enum" && field.vocabulary) {
    const list = vocabularyOf(field.vocabulary, policy);
    return (
      <Field label={label} {...common}>
        <Select name={field.key} value={text} disabled={disabled} onBlur={blur} onChange={(_, d) => onChange(d.value)}>
          <option value="">{inLang({ zh: "— 请选择 —", en: "— choose —" }, lang)}</option>
          {list.map((x) => (
            <option key={x.code} value={x.code}>
              {inLang(x, lang)}
            </option>
          ))}
        </Select>
      </Field>
    );
  }
  if (field.type === "longtext") {
    return (
      <Field label={label} {...common}>
        <Textarea name={field.key} value={text} disabled={disabled} resize="vertical" onBlur={blur} onChange={(_, d) => onChange(d.value)} />
      </Field>
    );
  }
  const type =
    field.type === "date" ? "date" : field.type === "datetime" ? "datetime-local" : field.type === "number" || field.type === "money" ? "number" : "text";
  return (
    <Field label={label} {...common}>
      <Input
        name={field.key}
        type={type}
        value={text}
        disabled={disabled}
        inputMode={type === "number" ? "decimal" : undefined}
        min={type === "number" ? 0 : undefined}
        onBlur={blur}
        onChange={(_, d) => onChange(d.value)}
      />
    </Field>
  );
}
