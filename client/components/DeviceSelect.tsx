import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** Picks one camera or microphone; devices without a label get a numbered name. */
export function DeviceSelect({
  label,
  devices,
  value,
  onChange,
}: {
  label: string;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  onChange: (deviceId: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  if (devices.length === 0) return null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(event.target.value)}>
        {value === undefined && <option value="">{t('devices.default')}</option>}
        {devices.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || t('devices.unnamed', { number: index + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}
